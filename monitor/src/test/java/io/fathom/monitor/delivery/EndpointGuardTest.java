package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointGuardTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.9.10",
                "::1", // loopback
                "10.0.0.1",
                "10.255.255.255",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1", // private
                "fc00::1",
                "fd12:3456::1", // unique local
                "169.254.169.254",
                "fe80::1", // link-local, the metadata service among them
                "0.0.0.0",
                "::",
                "0.1.2.3", // unspecified
                "::ffff:127.0.0.1",
                "::ffff:10.1.2.3",
                "224.0.0.1" // mapped, multicast
            })
    void refusesInternalAddresses(String literal) throws UnknownHostException {
        assertThat(EndpointGuard.refusal(InetAddress.getByName(literal))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"93.184.216.34", "8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "2606:4700::1111"})
    void allowsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(EndpointGuard.refusal(InetAddress.getByName(literal))).isEmpty();
    }

    @Test
    void refusesAHostIfAnyOfItsAddressesIsInternalAndNamesTheAddressNotTheUrl() {
        EndpointGuard guard = EndpointGuard.using(
                host -> List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("169.254.169.254")));
        WebhookEndpoint endpoint =
                WebhookEndpoint.of("ops", URI.create("https://rebind.example.com/t0ken"), Format.ALERTMANAGER);

        assertThatThrownBy(() -> guard.check(endpoint))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContainingAll("'ops'", "link-local", "169.254.169.254", "allowPrivate")
                .message()
                .doesNotContain("t0ken");
    }

    @Test
    void allowsInternalAddressesWhenTheEndpointSaysSo() {
        EndpointGuard guard = EndpointGuard.using(host -> List.of(InetAddress.getByName("127.0.0.1")));
        WebhookEndpoint endpoint = WebhookEndpoint.builder("local", URI.create("http://localhost:9/x"), Format.JSON)
                .allowPrivate(true)
                .build();

        assertThatCode(() -> guard.check(endpoint)).doesNotThrowAnyException();
    }

    @Test
    void checksIpv6LiteralsWithoutTheirBrackets() {
        WebhookEndpoint endpoint = WebhookEndpoint.of("v6", URI.create("http://[::1]:8080/x"), Format.JSON);

        assertThatThrownBy(() -> EndpointGuard.system().check(endpoint)).hasMessageContaining("loopback");
    }
}
