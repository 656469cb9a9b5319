package io.fathom.testkit;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Brokers handed to the integration test classes, to check that every class gets the same one. */
final class BrokersSeen {
    private static final Set<KafkaBroker> SEEN =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private BrokersSeen() {}

    /** Records the broker and returns every distinct broker seen so far in this run. */
    static Set<KafkaBroker> record(KafkaBroker broker) {
        SEEN.add(broker);
        synchronized (SEEN) {
            return Set.copyOf(SEEN);
        }
    }
}
