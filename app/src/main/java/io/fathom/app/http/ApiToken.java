package io.fathom.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One bearer token of the API: a name (for logs and metrics: the token itself is never kept, shown or logged),
 * the SHA-256 of its secret, and its scopes. A presented token is hashed and compared with {@link
 * MessageDigest#isEqual} (constant time over equal-length digests), so neither the comparison's time nor the
 * lengths reveal a configured token.
 */
public final class ApiToken {
    /** Shorter secrets are refused: 16 characters is 96 bits or more of a random hex or base64 token. */
    public static final int MIN_LENGTH = 16;

    private final String name;
    private final byte[] digest;
    private final Set<Scope> scopes;

    private ApiToken(String name, byte[] digest, Set<Scope> scopes) {
        this.name = name;
        this.digest = digest;
        this.scopes = scopes;
    }

    /**
     * @throws IllegalArgumentException if the name is blank, the secret shorter than {@value #MIN_LENGTH}
     *     characters or holding white space, or no scope is given (the message never holds the secret)
     */
    public static ApiToken of(String name, String secret, Set<Scope> scopes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(scopes, "scopes");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a token's name must not be blank");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("token " + name + " is shorter than " + MIN_LENGTH
                    + " characters (make one with: openssl rand -hex 16)");
        }
        if (secret.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("token " + name + " holds white space");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("token " + name + " has no scope");
        }
        return new ApiToken(name, sha256(secret), Set.copyOf(EnumSet.copyOf(scopes)));
    }

    public String name() {
        return name;
    }

    public Set<Scope> scopes() {
        return scopes;
    }

    /** Whether this token may use a route that needs {@code scope}. */
    public boolean grants(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** Whether the secret hashed to {@code presented} is this token's, in constant time. */
    boolean matches(byte[] presented) {
        return MessageDigest.isEqual(digest, presented);
    }

    /** Whether two tokens have the same secret. */
    boolean sameSecret(ApiToken other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + ", scopes " + scopes + "]";
    }
}
