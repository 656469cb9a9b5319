package io.fathom.monitor.delivery;

import io.fathom.monitor.MonitorException;

/** Delivery's member of the monitor's exception family: a bad endpoint, a refused address, a dead dispatcher. */
public class DeliveryException extends MonitorException {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
