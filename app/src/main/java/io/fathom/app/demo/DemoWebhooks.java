package io.fathom.app.demo;

import io.fathom.monitor.delivery.WebhookEndpoint;
import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The demo's {@code --webhook} receivers: signed, and allowed on this machine's addresses. */
public final class DemoWebhooks {
    private DemoWebhooks() {}

    /**
     * One endpoint per URL, each signed (Standard Webhooks) with {@code secret}, or with a fresh secret
     * that is printed when none is given.
     */
    public static List<WebhookEndpoint> endpoints(List<URI> urls, String secret, PrintWriter out) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        if (urls.isEmpty()) {
            return endpoints;
        }
        String signingSecret = secret;
        if (signingSecret == null) {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            signingSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
            out.println("fathom demo: alerts to " + urls + " are signed (Standard Webhooks) with " + signingSecret);
        }
        for (int i = 0; i < urls.size(); i++) {
            // the demo's receivers are usually on this machine: allow local addresses explicitly
            endpoints.add(WebhookEndpoint.builder("webhook-" + (i + 1), urls.get(i), WebhookEndpoint.Format.JSON)
                    .allowPrivate(true)
                    .secret(signingSecret)
                    .build());
        }
        return endpoints;
    }
}
