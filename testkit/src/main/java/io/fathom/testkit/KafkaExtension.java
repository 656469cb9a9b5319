package io.fathom.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class KafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public KafkaBroker resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return sharedBroker(extensionContext);
    }

    /**
     * The broker of this test run, started on first use. The root store closes {@link AutoCloseable}
     * values when the run ends (JUnit 5.13+, which deprecated {@code Store.CloseableResource} for it), and
     * its {@code getOrComputeIfAbsent} starts the broker once even with parallel test execution.
     */
    static KafkaBroker sharedBroker(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(KafkaBroker.class, key -> KafkaBroker.start(), KafkaBroker.class);
    }
}
