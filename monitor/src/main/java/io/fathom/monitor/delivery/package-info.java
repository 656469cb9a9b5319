/**
 * Alert delivery: the dispatcher that consumes {@code fathom.alerts} and POSTs each alert, signed per the
 * Standard Webhooks spec, to every configured webhook endpoint in its format, with retries and a
 * dead-letter topic.
 */
package io.fathom.monitor.delivery;
