package io.fathom.monitor.drift;

import io.fathom.monitor.MonitorException;

/** A baseline's JSON is malformed or has a bad field; the message names the field and the value. */
public final class InvalidBaselineException extends MonitorException {
    public InvalidBaselineException(String message) {
        super(message);
    }

    public InvalidBaselineException(String message, Throwable cause) {
        super(message, cause);
    }
}
