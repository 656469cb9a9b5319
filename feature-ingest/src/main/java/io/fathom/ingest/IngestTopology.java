package io.fathom.ingest;

import io.fathom.ingest.internal.IngestGraph;
import io.fathom.schemas.FeatureDefinitions;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/**
 * The ingest topology, a pure function of the definitions:
 *
 * <pre>
 * source topic ──> decode-&lt;source&gt; ──(per view, keyed by entity)──> &lt;app&gt;.&lt;view&gt;.events
 *                        │                                              │
 *                        └── undecodable, no timestamp, no key ──┐      v
 *                                                                │   aggregate-&lt;view&gt; ── state-&lt;view&gt; (RocksDB, changelogged)
 *                                                                v      │            │
 *                                                           fathom.dlq <┘ late,      v
 *                                                                         wrong type fathom.snapshots.&lt;view&gt;
 * </pre>
 *
 * Run it with {@code processing.guarantee=exactly_once_v2}: see {@link IngestConfig}.
 */
public final class IngestTopology {
    private IngestTopology() {}

    /**
     * The topology, tracking each view's watermark as {@code watermarks} says (docs/semantics.md, "Event time and
     * arrival order"), with {@link IngestConfig}'s default cache of entity states.
     */
    public static Topology build(
            FeatureDefinitions definitions,
            IngestTopics topics,
            WatermarkSettings watermarks,
            Clock clock,
            IngestMetrics metrics) {
        return IngestGraph.build(definitions, topics, watermarks, clock, metrics, IngestConfig.DEFAULT_CACHE_MAX_BYTES);
    }
}
