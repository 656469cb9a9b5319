package io.fathom.monitor;

/**
 * The monitor's unchecked exception family: a baseline that cannot be read or built, windows that
 * cannot be merged, a statistic asked of data it is not defined for.
 */
public class MonitorException extends RuntimeException {
    public MonitorException(String message) {
        super(message);
    }

    public MonitorException(String message, Throwable cause) {
        super(message, cause);
    }
}
