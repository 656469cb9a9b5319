package io.fathom.monitor.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Refuses webhook URLs whose host resolves to an address inside the deployment: loopback (127/8, ::1),
 * private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata services —,
 * fe80::/10), unspecified (0.0.0.0, ::) or multicast, unless the endpoint sets {@code allowPrivate}. An
 * alert's receiver is configured by people, and a webhook that reaches the metadata service or an
 * internal admin port is a server-side request forgery.
 *
 * <p>The dispatcher checks every endpoint when it is configured and again before every request, since
 * the name may resolve elsewhere by then (DNS rebinding). Every address the name resolves to must be
 * allowed. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
public final class EndpointGuard {
    /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The system resolver. */
    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final Resolver resolver;

    private EndpointGuard(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public static EndpointGuard system() {
        return new EndpointGuard(SYSTEM);
    }

    public static EndpointGuard using(Resolver resolver) {
        return new EndpointGuard(resolver);
    }

    /**
     * Checks where the endpoint's host resolves now.
     *
     * @throws DeliveryException if an address is refused, naming the endpoint and the address (not the URL)
     * @throws UnknownHostException if the host does not resolve: a temporary condition, retried on send
     */
    public void check(WebhookEndpoint endpoint) throws UnknownHostException {
        if (endpoint.allowPrivate()) {
            return;
        }
        String host = hostOf(endpoint.url());
        for (InetAddress address : resolver.resolve(host)) {
            Optional<String> why = refusal(address);
            if (why.isPresent()) {
                throw new DeliveryException("endpoint '" + endpoint.name() + "' resolves to " + why.get() + " address "
                        + address.getHostAddress() + "; set allowPrivate to allow it");
            }
        }
    }

    /** Why the address is refused (loopback, private, …), or empty if it is a public unicast address. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(b)) {
            byte[] v4 = new byte[] {b[12], b[13], b[14], b[15]};
            try {
                return refusal(InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("an unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast");
        }
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
                return Optional.of("a private");
            }
            if (first == 0) {
                return Optional.of("an unspecified");
            }
        } else if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private (unique local)");
        }
        return Optional.empty();
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static String hostOf(URI url) {
        String host = url.getHost();
        // an IPv6 literal comes back in brackets
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return "EndpointGuard";
    }
}
