package io.fathom.offline.internal;

import io.fathom.offline.ProgressListener;
import io.fathom.offline.ProgressListener.Stage;

/**
 * Forwards progress to a listener one call at a time and not too often: when the count has moved by
 * 1/500 of the total (or by 10,000 when the total is unknown), and always at the end.
 */
public final class JoinProgress {
    private final ProgressListener listener;
    private Stage stage;
    private long total;
    private long done;
    private long reported;
    private long step;

    public JoinProgress(ProgressListener listener) {
        this.listener = listener;
    }

    synchronized void start(Stage next, long totalCount) {
        stage = next;
        total = totalCount;
        done = 0;
        reported = 0;
        step = totalCount > 0 ? Math.max(1, totalCount / 500) : 10_000;
        listener.onProgress(stage, 0, total);
    }

    synchronized void add(long count) {
        done += count;
        if (done - reported >= step) {
            reported = done;
            listener.onProgress(stage, done, total);
        }
    }

    synchronized void finish(long finalTotal) {
        done = finalTotal;
        total = finalTotal;
        listener.onProgress(stage, done, total);
    }
}
