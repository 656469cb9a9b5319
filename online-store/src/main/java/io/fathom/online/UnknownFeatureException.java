package io.fathom.online;

/** A read request names a view or a feature that the definitions do not declare (HTTP 404). */
public class UnknownFeatureException extends OnlineException {
    public UnknownFeatureException(String message) {
        super(message);
    }
}
