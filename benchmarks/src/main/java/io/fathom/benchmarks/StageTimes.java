package io.fathom.benchmarks;

import io.fathom.offline.ProgressListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/** A progress listener that notes when each stage of a join began and ended, to print where a run's time went. */
final class StageTimes implements ProgressListener {
    private final Map<Stage, Long> began = new EnumMap<>(Stage.class);
    private final Map<Stage, Long> ended = new EnumMap<>(Stage.class);

    @Override
    public void onProgress(Stage stage, long done, long total) {
        long now = System.nanoTime();
        began.putIfAbsent(stage, now);
        if (done == total) {
            ended.put(stage, now);
        }
    }

    /** E.g. {@code read 0.41 s, scan 0.30 s, join 0.52 s, write 0.88 s}: each stage from its first call to its end. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ");
        began.forEach((stage, start) -> {
            Long end = ended.get(stage);
            if (end != null) {
                out.add(String.format(
                        "%s %.2f s", stage.name().toLowerCase(java.util.Locale.ROOT), (end - start) / 1e9));
            }
        });
        return out.toString();
    }
}
