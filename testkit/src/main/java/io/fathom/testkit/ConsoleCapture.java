package io.fathom.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of everything this JVM prints to {@code System.out} and {@code System.err} (log lines included,
 * for a log binding that writes to them) from construction until {@link #close()}, while still printing it:
 * for tests that check what a run printed, e.g. that no secret reached a log.
 *
 * <pre>{@code
 * try (ConsoleCapture console = new ConsoleCapture()) {
 *     ... run something ...
 *     assertThat(console.text()).doesNotContain(password);
 * }
 * }</pre>
 */
public final class ConsoleCapture implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    public ConsoleCapture() {
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    }

    /** Everything printed so far. */
    public String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** Puts the console back as it was; {@link #text()} still answers. */
    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
    }

    private final class Tee extends OutputStream {
        private final PrintStream console;

        Tee(PrintStream console) {
            this.console = console;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            console.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
