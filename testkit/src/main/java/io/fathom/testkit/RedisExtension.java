package io.fathom.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands tests a {@link RedisServer}: declare {@code @ExtendWith(RedisExtension.class)} and take a {@code
 * RedisServer} parameter in a test method, a constructor, or a {@code @BeforeAll}/{@code @BeforeEach}
 * method.
 *
 * <p>Each test class gets a server of its own (it starts in a fraction of a second), started the first
 * time the class asks for it and closed when the class finishes. So a test may {@link RedisServer#stop()}
 * and {@link RedisServer#start()} it to simulate an outage without disturbing other classes; it should
 * leave it running, and not close it.
 */
public final class RedisExtension extends StoredResourceExtension<RedisServer> {
    public RedisExtension() {
        super(RedisServer.class, RedisServer::startOnFreePort);
    }

    /** The context of the test class the context belongs to: one server per class. */
    @Override
    ExtensionContext owner(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext;
    }
}
