package io.fathom.online.internal;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where Redis is: one server ({@code redis://}, {@code rediss://}) or the seed nodes of a cluster ({@code
 * redis-cluster://[password@]host1:port1,host2:port2}, {@code rediss-cluster://}), and a description of it
 * for messages, without credentials.
 */
public record RedisEndpoint(boolean cluster, List<RedisURI> uris, String description) {
    private static final String CLUSTER_SUFFIX = "-cluster";

    public RedisEndpoint {
        uris = List.copyOf(uris);
        Objects.requireNonNull(description, "description");
    }

    public static RedisEndpoint parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("not a Redis URI: " + redact(uri));
        }
        String scheme = uri.substring(0, schemeEnd);
        try {
            if (!scheme.endsWith(CLUSTER_SUFFIX)) {
                RedisURI single = RedisURI.create(uri);
                return new RedisEndpoint(false, List.of(single), "redis " + describe(scheme, single));
            }
            String plainScheme = scheme.substring(0, scheme.length() - CLUSTER_SUFFIX.length());
            String rest = uri.substring(schemeEnd + 3);
            int at = rest.lastIndexOf('@');
            String credentials = at >= 0 ? rest.substring(0, at + 1) : "";
            String hosts = at >= 0 ? rest.substring(at + 1) : rest;
            List<RedisURI> seeds = new ArrayList<>();
            for (String host : hosts.split(",")) {
                if (!host.isBlank()) {
                    seeds.add(RedisURI.create(plainScheme + "://" + credentials + host.trim()));
                }
            }
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("no seed nodes");
            }
            return new RedisEndpoint(true, seeds, "redis cluster " + scheme + "://" + hosts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis URI: " + redact(uri) + " (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(String scheme, RedisURI uri) {
        return scheme + "://" + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() != 0 ? "/" + uri.getDatabase() : "");
    }

    /**
     * The URI with its user and password (whatever lies between the scheme and the last {@code @}) replaced by
     * {@code ***}, however malformed the rest.
     */
    public static String redact(String uri) {
        int at = uri.lastIndexOf('@');
        if (at < 0) {
            return uri;
        }
        int colon = uri.indexOf(':');
        int start = colon < 0 || colon > at ? 0 : colon + 1;
        while (start < at && uri.charAt(start) == '/') {
            start++;
        }
        return uri.substring(0, start) + "***" + uri.substring(at);
    }

    /** The description only: the URIs hold the credentials. */
    @Override
    public String toString() {
        return "RedisEndpoint[" + description + "]";
    }
}
