package io.fathom.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where the log lines of a long-running command ({@code demo}, {@code run}) go. Everything — Kafka,
 * Streams, Hadoop, Jetty and Fathom, at INFO — is written to one file; the console shows only Fathom's own
 * warnings and errors, one line each, naming the file for the details (stack traces stay in the file).
 * With {@code verbose}, the console shows everything as well. Short commands keep {@code logback.xml}:
 * Fathom's warnings and anyone's errors on the console.
 */
final class LogRouting {
    static final String FILE_NAME = "fathom.log";
    private static final String FULL_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    private LogRouting() {}

    /** Routes logging as described above and returns the log file ({@code <dir>/fathom.log}). */
    static Path toFile(Path dir, boolean verbose) {
        Path file = dir.resolve(FILE_NAME).toAbsolutePath();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);

        FileAppender<ILoggingEvent> toFile = new FileAppender<>();
        toFile.setFile(file.toString());
        toFile.setAppend(true);
        root.addAppender(started(context, toFile, FULL_PATTERN));

        if (verbose) {
            root.addAppender(started(context, console(null), FULL_PATTERN));
        } else {
            String line = "fathom: %level %logger{0}: %replace(%msg){'[\\r\\n]+', ' '}";
            root.addAppender(started(context, console(Level.WARN), line + "%n%nopex"));
            root.addAppender(
                    started(context, console(Level.ERROR), line + "; details in " + escaped(file) + "%n%nopex"));
        }

        // java.util.logging (used by a few libraries) into the same place
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        return file;
    }

    /** A path inside a logback pattern: its special characters taken literally. */
    private static String escaped(Path file) {
        return file.toString().replaceAll("([%()\\\\])", "\\\\$1");
    }

    private static Appender<ILoggingEvent> started(
            LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** A console appender; with a level, only Fathom's own lines of exactly that level. */
    private static ConsoleAppender<ILoggingEvent> console(Level onlyFathomAt) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget("System.err");
        if (onlyFathomAt != null) {
            console.addFilter(new Filter<ILoggingEvent>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    return event.getLoggerName().startsWith("io.fathom.") && event.getLevel() == onlyFathomAt
                            ? FilterReply.NEUTRAL
                            : FilterReply.DENY;
                }
            });
        }
        return console;
    }
}
