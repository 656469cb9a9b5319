package io.fathom.offline;

import io.fathom.offline.internal.EventSchema;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.SnapshotFileName;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** What the offline writer archived of a source in a local offline store (see {@link StoredSnapshots}). */
final class StoredEvents {
    /** One archived event, the file it is in and that file's date. */
    record Row(Path file, SnapshotFileName name, String date, GenericRecord row) {
        int partition() {
            return (Integer) row.get(EventSchema.PARTITION);
        }

        long offset() {
            return (Long) row.get(EventSchema.OFFSET);
        }

        long eventTs() {
            return (Long) row.get(EventSchema.EVENT_TS);
        }
    }

    private StoredEvents() {}

    static List<Row> read(Path root, String source) {
        return StoredSnapshots.read(root, Layout.eventsDir(source), Row::new);
    }

    /** How many rows the committed files hold (read whole: a file being copied fails the read). */
    static long count(Path root, String source) {
        return read(root, source).size();
    }

    static List<Path> files(Path root, String source) {
        return StoredSnapshots.files(root, Layout.eventsDir(source));
    }

    static List<Path> temporaries(Path root, String source) {
        return StoredSnapshots.temporaries(root, Layout.eventsDir(source));
    }
}
