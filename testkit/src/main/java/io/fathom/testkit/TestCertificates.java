package io.fathom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed, for {@code 127.0.0.1} and {@code localhost}, made at test
 * time with the JDK's {@code keytool} (run as a process: no test library, no checked-in keys), in every form
 * the servers and clients of the tests read: PKCS12 stores for Kafka and Java clients, PEM files for
 * {@code redis-server}. Every store and key has the one {@link #password()}.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);
 * // broker: certs.serverKeyStore(); redis-server: --tls-cert-file certs.serverCertificatePem() ...
 * // clients: certs.trustStore() (PKCS12) or certs.caPem()
 * }</pre>
 */
public final class TestCertificates {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String KEY = "-keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12";

    private final Path dir;
    private final String password;

    private TestCertificates(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Makes a new CA and server certificate in {@code dir} (created if needed): {@code ca.pem}, {@code
     * truststore.p12}, {@code server.p12}, {@code server.pem}, {@code server-key.pem}.
     *
     * @throws TestkitException if {@code keytool} fails, with its output
     */
    public static TestCertificates create(Path dir) {
        TestCertificates certs = new TestCertificates(dir, "changeit-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(dir);
            certs.keytool("-genkeypair -alias ca -dname CN=fathom-test-ca -ext bc:c " + KEY + " -keystore ca.p12");
            certs.keytool("-exportcert -alias ca -rfc -file ca.pem -keystore ca.p12");
            certs.keytool("-genkeypair -alias server -dname CN=localhost " + KEY + " -keystore server.p12");
            certs.keytool("-certreq -alias server -file server.csr -keystore server.p12");
            certs.keytool("-gencert -alias ca -infile server.csr -outfile server.pem -rfc -validity 2"
                    + " -ext SAN=ip:127.0.0.1,dns:localhost -ext EKU=serverAuth,clientAuth -keystore ca.p12");
            certs.keytool("-importcert -noprompt -alias ca -file ca.pem -keystore server.p12");
            certs.keytool("-importcert -alias server -file server.pem -keystore server.p12");
            certs.keytool("-importcert -noprompt -alias ca -file ca.pem -storetype PKCS12 -keystore truststore.p12");
            certs.writeServerKeyPem();
        } catch (IOException | GeneralSecurityException e) {
            throw new TestkitException("could not make test certificates in " + dir + ": " + e, e);
        }
        return certs;
    }

    /** The password of every store and key. */
    public String password() {
        return password;
    }

    /** The CA's certificate, PEM: what a client trusts (Lettuce, Kafka's {@code PEM} trust store type). */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS12 trust store holding the CA's certificate. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** A PKCS12 key store with the server's key and its chain (alias {@code server}): what a broker presents. */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** The server's certificate, PEM ({@code redis-server --tls-cert-file}). */
    public Path serverCertificatePem() {
        return dir.resolve("server.pem");
    }

    /** The server's private key, unencrypted PKCS#8 PEM ({@code redis-server --tls-key-file}). */
    public Path serverKeyPem() {
        return dir.resolve("server-key.pem");
    }

    private void keytool(String arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments.split(" ")));
        command.addAll(List.of("-storepass", password, "-keypass", password));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TestkitException("keytool " + arguments + " did not finish within " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new TestkitException("keytool " + arguments + " failed with exit code " + process.exitValue()
                        + ": " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new TestkitException("could not run keytool " + arguments + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while running keytool " + arguments, e);
        }
    }

    private void writeServerKeyPem() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore())) {
            store.load(in, password.toCharArray());
        }
        Key key = store.getKey("server", password.toCharArray());
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        Files.writeString(serverKeyPem(), "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }
}
