package io.fathom.monitor.delivery;

import io.fathom.monitor.delivery.DeliveryResult.Outcome;
import io.fathom.monitor.internal.Backoff;
import io.fathom.monitor.internal.RetryAfter;
import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to one endpoint: renders the endpoint's format, signs, POSTs, and retries.
 *
 * <ul>
 *   <li>2xx: delivered. 410: {@link Outcome#GONE}. Other 3xx and 4xx (but 408 and 429):
 *       {@link Outcome#REJECTED}, not retried. Redirects are never followed (they could lead past the guard).
 *   <li>408, 429, 5xx, timeouts and network errors are retried up to {@code maxAttempts} in all, waiting
 *       {@link Backoff#fullJitter full-jitter} exponential backoff, or on 429 and 503 the {@code
 *       Retry-After} the receiver asked for; every wait is capped at {@code maxBackoff}, so a receiver cannot
 *       stall the alert stream for longer.
 *   <li>Before every attempt the {@link EndpointGuard} checks the host again (DNS rebinding).
 * </ul>
 *
 * Every attempt of one alert carries the same {@code webhook-id} ({@link AlertMessage#webhookId()}) and a
 * fresh timestamp and signature. Logs name the endpoint, never its URL or secret. Thread-safe.
 */
public final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookEndpoint endpoint;
    private final AlertPayloads payloads;
    private final DeliveryEnvironment environment;
    private final Optional<WebhookSigner> signer;
    private final HttpClient client;

    private WebhookSender(WebhookEndpoint endpoint, AlertPayloads payloads, DeliveryEnvironment environment) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.signer = endpoint.secret().map(WebhookSigner::of);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(endpoint.timeout())
                .build();
    }

    public static WebhookSender create(
            WebhookEndpoint endpoint, AlertPayloads payloads, DeliveryEnvironment environment) {
        return new WebhookSender(endpoint, payloads, environment);
    }

    public WebhookEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Delivers one alert, retrying as described above.
     *
     * @throws InterruptedException if the thread was interrupted while sending or waiting; nothing is
     *     known then of the alert's delivery
     */
    public DeliveryResult deliver(AlertMessage alert) throws InterruptedException {
        byte[] body = payloads.render(endpoint.format(), endpoint.name(), alert);
        String id = alert.webhookId();
        OptionalInt lastStatus = OptionalInt.empty();
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            String failure;
            try {
                environment.guard().check(endpoint);
                HttpResponse<Void> response = client.send(request(id, body), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                lastStatus = OptionalInt.of(status);
                if (status >= 200 && status < 300) {
                    LOG.debug("endpoint '{}' took alert {} on attempt {}", endpoint.name(), id, attempt);
                    return new DeliveryResult(Outcome.DELIVERED, attempt, lastStatus);
                }
                if (status == 410) {
                    return new DeliveryResult(Outcome.GONE, attempt, lastStatus);
                }
                if (!retryable(status)) {
                    LOG.warn("endpoint '{}' rejected alert {} with status {}", endpoint.name(), id, status);
                    return new DeliveryResult(Outcome.REJECTED, attempt, lastStatus);
                }
                if (status == 429 || status == 503) {
                    retryAfter = response.headers()
                            .firstValue("Retry-After")
                            .flatMap(value ->
                                    RetryAfter.parse(value, environment.clock().instant()));
                }
                failure = "status " + status;
            } catch (DeliveryException e) {
                LOG.warn("{}; alert {} not sent", e.getMessage(), id);
                return new DeliveryResult(Outcome.FORBIDDEN_ADDRESS, attempt - 1, lastStatus);
            } catch (UnknownHostException e) {
                failure = "host does not resolve";
                lastStatus = OptionalInt.empty();
            } catch (IOException e) {
                // the class alone: messages of the HTTP client may quote the URL, which may hold a token
                failure = e.getClass().getSimpleName();
                lastStatus = OptionalInt.empty();
            }
            if (attempt >= endpoint.maxAttempts()) {
                LOG.warn("endpoint '{}' failed alert {} {} times, last: {}", endpoint.name(), id, attempt, failure);
                return new DeliveryResult(Outcome.EXHAUSTED, attempt, lastStatus);
            }
            int retry = attempt;
            Duration wait = retryAfter
                    .map(asked -> asked.compareTo(endpoint.maxBackoff()) > 0 ? endpoint.maxBackoff() : asked)
                    .orElseGet(() -> Backoff.fullJitter(
                            retry, endpoint.initialBackoff(), endpoint.maxBackoff(), environment.random()));
            LOG.debug(
                    "endpoint '{}' attempt {} of alert {} failed ({}), retrying in {}",
                    endpoint.name(),
                    attempt,
                    id,
                    failure,
                    wait);
            environment.sleeper().sleep(wait);
        }
    }

    private HttpRequest request(String id, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url())
                .timeout(endpoint.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "fathom-monitor");
        long now = environment.clock().instant().getEpochSecond();
        request.header(WebhookSigner.ID_HEADER, id).header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(now));
        signer.ifPresent(s -> request.header(WebhookSigner.SIGNATURE_HEADER, s.signature(id, now, body)));
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    @Override
    public String toString() {
        return "WebhookSender[" + endpoint + "]";
    }
}
