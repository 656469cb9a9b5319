package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.monitor.delivery.DeliveryResult.Outcome;
import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import io.fathom.monitor.delivery.WebhookReceiver.Answer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries against a real HTTP receiver on 127.0.0.1, with a fixed clock and a sleeper that only records. */
class WebhookSenderTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    private final WebhookReceiver receiver = new WebhookReceiver();
    private final List<Duration> waits = new ArrayList<>();
    private final DeliveryEnvironment environment = new DeliveryEnvironment(
            Clock.fixed(NOW, ZoneOffset.UTC), waits::add, new Random(42), EndpointGuard.system());

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookEndpointBuilder endpoint() {
        return WebhookEndpoint.builder("ops", receiver.url(), Format.ALERTMANAGER)
                .secret(SECRET)
                .allowPrivate(true)
                .timeout(Duration.ofSeconds(5));
    }

    private DeliveryResult deliver(WebhookEndpoint endpoint) throws InterruptedException {
        return WebhookSender.create(endpoint, AlertPayloads.of(""), environment).deliver(AlertPayloadsTest.FIRING);
    }

    @Test
    void deliversSignedWithTheAlertsStableId() throws Exception {
        DeliveryResult result = deliver(endpoint().build());

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DELIVERED, 1, OptionalInt.of(200)));
        WebhookReceiver.Request request = receiver.requests().get(0);
        assertThat(request.header("webhook-id")).isEqualTo(AlertPayloadsTest.FIRING.webhookId());
        assertThat(request.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(WebhookReceiver.signatureValid(request, SECRET)).isTrue();
        assertThat(waits).isEmpty();
    }

    @Test
    void honoursRetryAfterInSecondsAndAsAnHttpDateThenDelivers() throws Exception {
        String inFortyFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.plusSeconds(45), ZoneOffset.UTC));
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(request -> switch (calls.incrementAndGet()) {
            case 1 -> new Answer(429, Map.of("Retry-After", "7"));
            case 2 -> new Answer(503, Map.of("Retry-After", inFortyFiveSeconds));
            case 3 -> new Answer(503, Map.of("Retry-After", "3600"));
            default -> Answer.of(204);
        });

        DeliveryResult result =
                deliver(endpoint().maxBackoff(Duration.ofSeconds(60)).build());

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DELIVERED, 4, OptionalInt.of(204)));
        // 7 s as asked; 45 s to the date; an hour capped at maxBackoff
        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(45), Duration.ofSeconds(60));
        assertThat(receiver.requests())
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(AlertPayloadsTest.FIRING.webhookId());
        assertThat(receiver.requests()).allMatch(r -> WebhookReceiver.signatureValid(r, SECRET));
    }

    @Test
    void backsOffExponentiallyWithFullJitterAndGivesUpAfterTheLastAttempt() throws Exception {
        receiver.answer(request -> Answer.of(500));

        DeliveryResult result = deliver(endpoint()
                .maxAttempts(6)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(8))
                .build());

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.EXHAUSTED, 6, OptionalInt.of(500)));
        assertThat(receiver.requests()).hasSize(6);
        // retry n waits uniformly in [0, min(8 s, 1 s * 2^(n-1))): the same Random seed gives the same draws
        Random reference = new Random(42);
        long[] caps = {1, 2, 4, 8, 8};
        List<Duration> expected = new ArrayList<>();
        for (long cap : caps) {
            expected.add(Duration.ofNanos(
                    (long) (reference.nextDouble() * Duration.ofSeconds(cap).toNanos())));
        }
        assertThat(waits).containsExactlyElementsOf(expected);
        for (int i = 0; i < caps.length; i++) {
            assertThat(waits.get(i)).isLessThan(Duration.ofSeconds(caps[i]));
        }
    }

    @Test
    void goneIsNotRetried() throws Exception {
        receiver.answer(request -> Answer.of(410));

        assertThat(deliver(endpoint().build())).isEqualTo(new DeliveryResult(Outcome.GONE, 1, OptionalInt.of(410)));
        assertThat(waits).isEmpty();
    }

    @Test
    void otherClientErrorsAndRedirectsAreRejectedWithoutRetry() throws Exception {
        receiver.answer(request -> Answer.of(400));
        assertThat(deliver(endpoint().build())).isEqualTo(new DeliveryResult(Outcome.REJECTED, 1, OptionalInt.of(400)));

        receiver.answer(request -> new Answer(302, Map.of("Location", "http://169.254.169.254/latest/meta-data")));
        assertThat(deliver(endpoint().build())).isEqualTo(new DeliveryResult(Outcome.REJECTED, 1, OptionalInt.of(302)));
        assertThat(receiver.requests()).hasSize(2);
        assertThat(waits).isEmpty();
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(request -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    release.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Answer.of(200);
        });

        DeliveryResult result =
                deliver(endpoint().timeout(Duration.ofMillis(200)).build());
        release.countDown();

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DELIVERED, 2, OptionalInt.of(200)));
        assertThat(waits).hasSize(1);
    }

    @Test
    void refusesAtSendTimeAnAddressTheHostRebindsTo() throws Exception {
        DeliveryEnvironment rebinding =
                environment.withGuard(EndpointGuard.using(host -> List.of(InetAddress.getByName("10.0.0.7"))));
        WebhookEndpoint endpoint = endpoint().allowPrivate(false).build();

        DeliveryResult result =
                WebhookSender.create(endpoint, AlertPayloads.of(""), rebinding).deliver(AlertPayloadsTest.FIRING);

        assertThat(result.outcome()).isEqualTo(Outcome.FORBIDDEN_ADDRESS);
        assertThat(receiver.requests()).isEmpty();
    }
}
