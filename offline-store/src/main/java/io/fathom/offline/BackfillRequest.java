package io.fathom.offline;

import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A view's history to compute from the event history (see {@link Backfill}); start from {@link #builder(String)}.
 *
 * @param view the view, as the definitions name it
 * @param from the first day whose snapshots are written: snapshots of events on {@code from}'s UTC day and
 *     after; empty (the default) for every day. Earlier events still count in the states.
 * @param to events at or after this time are not read; empty (the default) for no limit
 * @param boundary per partition of the view's source topic, the first offset of the archive not read (the
 *     offsets where the stream continues, such as ingest's committed offsets); empty (the default) to read
 *     every archived event. A partition it does not name is not read at all.
 */
@RecordBuilder
public record BackfillRequest(String view, Optional<Instant> from, Optional<Instant> to, Map<Integer, Long> boundary) {
    public BackfillRequest {
        RecordComponents.requireNonNull(BackfillRequest.class, view, from, to, boundary);
        boundary = Map.copyOf(boundary);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("from (" + from.get() + ") must be before to (" + to.get() + ")");
        }
    }

    /** A request for every day of the view's history, from every archived event. */
    public static BackfillRequestBuilder builder(String view) {
        return BackfillRequestBuilder.builder()
                .view(view)
                .from(Optional.empty())
                .to(Optional.empty())
                .boundary(Map.of());
    }

    public BackfillRequestBuilder toBuilder() {
        return BackfillRequestBuilder.builder(this);
    }
}
