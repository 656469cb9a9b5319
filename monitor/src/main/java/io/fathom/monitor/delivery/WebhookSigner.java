package io.fathom.monitor.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests per the Standard Webhooks specification (standardwebhooks.com, "Signature
 * scheme"): {@code webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>},
 * where the key is the base64 after {@code whsec_} in the secret and the timestamp is in epoch seconds.
 * Receivers verify with any of the specification's libraries. The key never leaves this object; {@link
 * #toString()} does not show it.
 */
public final class WebhookSigner {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private WebhookSigner(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * @param secret {@code whsec_<base64 key>}
     * @throws DeliveryException if it is not one (the message does not repeat it)
     */
    public static WebhookSigner of(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (!secret.startsWith(WebhookEndpoint.SECRET_PREFIX)) {
            throw new DeliveryException("a signing secret starts with '" + WebhookEndpoint.SECRET_PREFIX + "'");
        }
        try {
            return new WebhookSigner(
                    Base64.getDecoder().decode(secret.substring(WebhookEndpoint.SECRET_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            // not chained: the decoder's message quotes a character of the secret
            throw new DeliveryException("a signing secret is base64 after '" + WebhookEndpoint.SECRET_PREFIX + "'");
        }
    }

    /** {@code v1,<base64 signature>} of {@code id.timestamp.body}. */
    public String signature(String id, long timestampSeconds, byte[] body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is unavailable in this JVM", e);
        }
    }

    /** The three headers of a request with this id, sent at {@code now}, in order id, timestamp, signature. */
    public Map<String, String> headers(String id, Instant now, byte[] body) {
        long seconds = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, id);
        headers.put(TIMESTAMP_HEADER, Long.toString(seconds));
        headers.put(SIGNATURE_HEADER, signature(id, seconds, body));
        return headers;
    }

    @Override
    public String toString() {
        return "WebhookSigner[key=*****]";
    }
}
