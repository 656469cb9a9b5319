package io.fathom.testkit;

/** The one unchecked exception of the testkit: a broker that would not start, a send or a drain that failed. */
public class TestkitException extends RuntimeException {
    public TestkitException(String message) {
        super(message);
    }

    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
