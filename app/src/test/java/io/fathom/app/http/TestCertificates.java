package io.fathom.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for {@code localhost} and {@code 127.0.0.1}, made by Debian's {@code openssl} (as an
 * operator would make them), and an {@link SSLContext} that trusts one: the client side of the TLS tests.
 */
public final class TestCertificates {
    private TestCertificates() {}

    /** A new EC key and its certificate, as PEM files {@code name.crt} and {@code name.key} (PKCS#8) in {@code dir}. */
    public static TlsConfig.Pem pem(Path dir, String name) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
        return new TlsConfig.Pem(cert, key);
    }

    /** The key and certificate of {@code pem} as a PKCS#12 keystore protected by {@code password}. */
    public static TlsConfig.Pkcs12 pkcs12(TlsConfig.Pem pem, Path file, String password) {
        openssl(
                "pkcs12",
                "-export",
                "-in",
                pem.certificate().toString(),
                "-inkey",
                pem.privateKey().toString(),
                "-name",
                "fathom",
                "-out",
                file.toString(),
                "-passout",
                "pass:" + password);
        return new TlsConfig.Pkcs12(file, password);
    }

    /** A TLS client context that trusts exactly the certificate of {@code pem}. */
    public static SSLContext trusting(TlsConfig.Pem pem) {
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("fathom", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + pem.certificate(), e);
        }
    }

    private static void openssl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running openssl", e);
        }
    }
}
