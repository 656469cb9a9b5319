package io.fathom.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves parameters of one type to a value kept in the {@link ExtensionContext.Store} of an owning context:
 * started the first time a test asks for it ({@code getOrComputeIfAbsent} starts it once even with parallel
 * test execution) and closed when the owning context finishes (JUnit 5.13+ closes {@link AutoCloseable} store
 * values, having deprecated {@code Store.CloseableResource} for it). The subclass says which context owns it.
 */
abstract class StoredResourceExtension<T extends AutoCloseable> implements ParameterResolver {
    private final Class<T> type;
    private final Supplier<T> start;

    StoredResourceExtension(Class<T> type, Supplier<T> start) {
        this.type = type;
        this.start = start;
    }

    /** The context whose store keeps the value, so whose end closes it. */
    abstract ExtensionContext owner(ExtensionContext context);

    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    @Override
    public final T resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return owner(extensionContext)
                .getStore(ExtensionContext.Namespace.create(getClass()))
                .getOrComputeIfAbsent(type, key -> start.get(), type);
    }
}
