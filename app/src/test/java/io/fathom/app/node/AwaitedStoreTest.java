package io.fathom.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.online.StoreRefusedException;
import io.fathom.online.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class AwaitedStoreTest {
    private static final String REDIS = "Redis at redis://127.0.0.1:1";

    @Test
    void refusedCredentialsFailAtStartInsteadOfWaiting() {
        StoreRefusedException refused =
                new StoreRefusedException("redis", "open", "Redis refused the credentials: WRONGPASS", null);

        assertThatThrownBy(() -> new AwaitedStore(REDIS, () -> {
                    throw refused;
                }))
                .isSameAs(refused);
    }

    @Test
    void anUnreachableStoreIsAwaitedAndReadsFailAsUnavailable() {
        AwaitedStore store = new AwaitedStore(REDIS, () -> {
            throw new StoreUnavailableException("redis", "open", "Connection refused", null);
        });
        try {
            assertThat(store.waiting())
                    .hasValueSatisfying(why ->
                            assertThat(why).contains("waiting for " + REDIS).contains("Connection refused"));
        } finally {
            store.close();
        }
    }
}
