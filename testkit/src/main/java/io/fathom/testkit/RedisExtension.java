package io.fathom.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class RedisExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public RedisServer resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return classServer(extensionContext);
    }

    /**
     * The server of the test class the context belongs to. Its store closes {@link AutoCloseable} values
     * when the class finishes (JUnit 5.13+), and {@code getOrComputeIfAbsent} starts the server once.
     */
    static RedisServer classServer(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(RedisServer.class, key -> RedisServer.startOnFreePort(), RedisServer.class);
    }
}
