package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    /** The test vector published with the Standard Webhooks specification and its reference libraries. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void reproducesTheSpecificationsTestVector() {
        WebhookSigner signer = WebhookSigner.of(SPEC_SECRET);

        assertThat(signer.signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void headersCarryIdSecondsAndAnHmacComputedIndependently() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        byte[] body = "{\"status\":\"firing\"}".getBytes(StandardCharsets.UTF_8);

        Map<String, String> headers =
                WebhookSigner.of(secret).headers("msg_1", Instant.parse("2026-11-02T10:00:00.900Z"), body);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                "msg_1.1793613600.{\"status\":\"firing\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(headers)
                .containsExactly(
                        Map.entry("webhook-id", "msg_1"),
                        Map.entry("webhook-timestamp", "1793613600"),
                        Map.entry("webhook-signature", expected));
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(WebhookSigner.of(SPEC_SECRET).toString()).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThatThrownBy(() -> WebhookSigner.of("whsec_not*base64!"))
                .isInstanceOf(DeliveryException.class)
                .message()
                .doesNotContain("not*base64");
        assertThatThrownBy(() -> WebhookSigner.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(DeliveryException.class)
                .message()
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }
}
