package io.fathom.app;

import io.fathom.offline.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per stage on a terminal; nothing otherwise. */
final class TerminalProgress implements ProgressListener, AutoCloseable {
    private final boolean terminal;
    private ProgressBar bar;
    private Stage stage;

    private TerminalProgress(boolean terminal) {
        this.terminal = terminal;
    }

    /** Bars when the process has a console (a terminal), else silent. */
    static TerminalProgress onConsole() {
        return new TerminalProgress(System.console() != null);
    }

    @Override
    public void onProgress(Stage current, long done, long total) {
        if (!terminal) {
            return;
        }
        if (current != stage) {
            close();
            stage = current;
            bar = new ProgressBarBuilder()
                    .setTaskName(current.name().toLowerCase().replace('_', ' '))
                    .setInitialMax(Math.max(total, -1))
                    .setStyle(ProgressBarStyle.ASCII)
                    .build();
        }
        if (total >= 0) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
