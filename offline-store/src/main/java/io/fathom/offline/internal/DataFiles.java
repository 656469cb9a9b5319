package io.fathom.offline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed Parquet files of one directory: names ending in {@code .parquet}, not starting with
 * {@code _} or {@code .} (temporaries and hidden files, which Hive-style readers skip too).
 */
final class DataFiles {
    private DataFiles() {}

    static boolean visible(String name) {
        return !name.startsWith(".") && !name.startsWith("_");
    }

    /** The data files directly in {@code directory}, as paths relative to the store, sorted by name. */
    static List<String> in(FileStore store, String directory) throws IOException {
        List<String> files = new ArrayList<>();
        for (FileStore.Entry entry : store.list(directory)) {
            if (!entry.directory() && entry.name().endsWith(".parquet") && visible(entry.name())) {
                files.add(directory + "/" + entry.name());
            }
        }
        return files;
    }

    /**
     * The data files of a directory listed again (compaction replaced one after the first listing) that
     * were not scheduled yet, now scheduled: their rows are in those files. Files are scheduled by their
     * full description ({@link FileStore#describe}), unique across stores.
     */
    static List<String> unscheduled(FileStore store, String directory, ScanCounts counts) throws IOException {
        return in(store, directory).stream()
                .filter(file -> counts.schedule(store.describe(file)))
                .toList();
    }
}
