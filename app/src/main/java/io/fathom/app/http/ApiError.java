package io.fathom.app.http;

/** The body of every error response: the HTTP status and a message naming what was wrong. */
public record ApiError(int status, String error) {}
