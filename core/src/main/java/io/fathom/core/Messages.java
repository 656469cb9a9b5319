package io.fathom.core;

/** How error messages show a rejected value: strings quoted, anything long cut short. */
final class Messages {
    private static final int MAX_LENGTH = 80;

    private Messages() {}

    /** The value as shown in a message, e.g. {@code "12.5"} for a string and {@code 12.5} for a number. */
    static String show(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_LENGTH) {
            text = text.substring(0, MAX_LENGTH) + "...";
        }
        return value instanceof CharSequence ? "\"" + text + "\"" : text;
    }

    /** The value with its type, e.g. {@code a Boolean (true)}. */
    static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getSimpleName() + " (" + show(value) + ")";
    }
}
