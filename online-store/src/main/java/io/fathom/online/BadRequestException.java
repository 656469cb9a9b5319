package io.fathom.online;

/**
 * A read request that is malformed: empty, bad {@code view:feature} syntax, views of different entities,
 * missing or unexpected key columns, columns of unequal length, key values that are not integers or
 * strings. The message names the problem and the value (the HTTP layer answers 400 with it).
 */
public class BadRequestException extends OnlineException {
    public BadRequestException(String message) {
        super(message);
    }

    public BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
