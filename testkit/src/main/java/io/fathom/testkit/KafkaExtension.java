package io.fathom.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands tests a {@link KafkaBroker}: declare {@code @ExtendWith(KafkaExtension.class)} and take a
 * {@code KafkaBroker} parameter in a test method, a constructor, or a {@code @BeforeAll}/{@code
 * @BeforeEach} method.
 *
 * <p>One broker serves the whole test run (every class of one Surefire or Failsafe fork): it is started
 * the first time a test asks for it and kept in the root {@link ExtensionContext.Store}, which closes it
 * when the run ends. Because it is shared, a test must not close it, and should use topic and group
 * names of its own.
 */
public final class KafkaExtension extends StoredResourceExtension<KafkaBroker> {
    public KafkaExtension() {
        super(KafkaBroker.class, KafkaBroker::start);
    }

    /** The root context: one broker for the run. */
    @Override
    ExtensionContext owner(ExtensionContext context) {
        return context.getRoot();
    }
}
