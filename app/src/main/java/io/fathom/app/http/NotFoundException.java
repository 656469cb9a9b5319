package io.fathom.app.http;

/** Something a request named does not exist (answered 404, with this message). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
