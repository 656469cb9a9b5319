package io.fathom.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP server's TLS key and certificate: PEM files ({@link Pem}) or a PKCS#12 keystore ({@link Pkcs12}).
 * {@link #load()} reads and checks them (the key must belong to the certificate), listing every problem, so a
 * bad configuration fails at start; the server then answers HTTPS only, on the configured port.
 */
public sealed interface TlsConfig permits TlsConfig.Pem, TlsConfig.Pkcs12 {

    /** The key material as Jetty takes it: a keystore (in memory) and its password. */
    record Keys(KeyStore store, String password) {
        @Override
        public String toString() {
            return "Keys[" + store.getType() + "]";
        }
    }

    /** Every problem of a TLS configuration, in one exception; no message holds a password. */
    final class InvalidTlsException extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidTlsException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** Reads and checks the key material. @throws InvalidTlsException listing every problem */
    Keys load();

    /**
     * A PEM certificate chain (the server's first) and its unencrypted PKCS#8 private key ({@code -----BEGIN
     * PRIVATE KEY-----}; RSA, EC or Ed25519), as {@code openssl req -x509 -newkey ... -nodes} writes them.
     */
    record Pem(Path certificate, Path privateKey) implements TlsConfig {
        private static final Pattern PKCS8 =
                Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

        public Pem {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public Keys load() {
            List<String> problems = new ArrayList<>();
            List<X509Certificate> chain = certificates(problems);
            PrivateKey key = key(problems);
            if (!chain.isEmpty() && key != null && !belongs(key, chain.get(0))) {
                problems.add("tls.key " + privateKey + " is not the key of the certificate in " + certificate);
            }
            if (!problems.isEmpty()) {
                throw new InvalidTlsException(problems);
            }
            try {
                String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("fathom", key, password.toCharArray(), chain.toArray(new Certificate[0]));
                return new Keys(store, password);
            } catch (GeneralSecurityException | IOException e) {
                throw new InvalidTlsException(List.of("cannot hold the key of " + privateKey + " in a keystore: " + e));
            }
        }

        private List<X509Certificate> certificates(List<String> problems) {
            try (InputStream in = Files.newInputStream(certificate)) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    chain.add((X509Certificate) c);
                }
                if (chain.isEmpty()) {
                    problems.add("tls.cert " + certificate + " holds no PEM certificate");
                }
                return chain;
            } catch (IOException e) {
                problems.add("tls.cert " + certificate + " cannot be read (" + e + ")");
            } catch (GeneralSecurityException e) {
                problems.add("tls.cert " + certificate + " is not a PEM certificate (" + e.getMessage() + ")");
            }
            return List.of();
        }

        private PrivateKey key(List<String> problems) {
            String text;
            try {
                text = Files.readString(privateKey, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                problems.add("tls.key " + privateKey + " cannot be read (" + e + ")");
                return null;
            }
            Matcher pem = PKCS8.matcher(text);
            if (!pem.find()) {
                problems.add("tls.key " + privateKey
                        + (text.contains("ENCRYPTED PRIVATE KEY")
                                ? " is encrypted; give it unencrypted (openssl pkcs8 -topk8 -nocrypt), readable by Fathom only"
                                : text.contains("-----BEGIN ")
                                        ? " is not PKCS#8; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"
                                        : " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"));
                return null;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(pem.group(1));
            } catch (IllegalArgumentException e) {
                problems.add("tls.key " + privateKey + " is not valid base64 inside its PEM markers");
                return null;
            }
            for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    // not this algorithm: try the next
                }
            }
            problems.add("tls.key " + privateKey + " is not an RSA, EC or Ed25519 PKCS#8 key");
            return null;
        }

        /** The key signs what the certificate's public key verifies. */
        private static boolean belongs(PrivateKey key, X509Certificate certificate) {
            String algorithm =
                    switch (key.getAlgorithm()) {
                        case "RSA" -> "SHA256withRSA";
                        case "EC" -> "SHA256withECDSA";
                        default -> key.getAlgorithm();
                    };
            try {
                byte[] probe = "fathom".getBytes(StandardCharsets.US_ASCII);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(probe);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(probe);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }

    /**
     * A PKCS#12 keystore holding one private key entry (its certificate chain with it), the key protected by the
     * keystore's password.
     *
     * @param password never shown by {@link #toString()}
     */
    record Pkcs12(Path keystore, String password) implements TlsConfig {
        public Pkcs12 {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public Keys load() {
            KeyStore store;
            try (InputStream in = Files.newInputStream(keystore)) {
                store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
            } catch (IOException e) {
                boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                        || String.valueOf(e.getMessage()).contains("password");
                throw new InvalidTlsException(List.of(
                        wrongPassword
                                ? "tls.keystore " + keystore + ": wrong password (or not a PKCS#12 keystore)"
                                : "tls.keystore " + keystore + " cannot be read as PKCS#12 (" + e + ")"));
            } catch (GeneralSecurityException e) {
                throw new InvalidTlsException(
                        List.of("tls.keystore " + keystore + " cannot be read as PKCS#12 (" + e.getMessage() + ")"));
            }
            try {
                List<String> keys = new ArrayList<>();
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        keys.add(alias);
                    }
                }
                if (keys.size() != 1) {
                    throw new InvalidTlsException(List.of("tls.keystore " + keystore
                            + " must hold exactly one private key entry, holds " + keys.size()));
                }
                store.getKey(keys.get(0), password.toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw new InvalidTlsException(
                        List.of("tls.keystore " + keystore + ": the key's password is not the keystore's"));
            } catch (GeneralSecurityException e) {
                throw new InvalidTlsException(List.of("tls.keystore " + keystore + ": " + e.getMessage()));
            }
            return new Keys(store, password);
        }

        @Override
        public String toString() {
            return "Pkcs12[" + keystore + "]";
        }
    }
}
