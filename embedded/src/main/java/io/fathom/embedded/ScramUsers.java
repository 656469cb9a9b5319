package io.fathom.embedded;

import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * Creates a secured listener's SCRAM users through the plain-text listener (Kafka keeps SCRAM credentials
 * in its metadata log, so they can only be added once the broker runs) and waits until the broker lists
 * them, so a client that logs in right after start finds its user.
 */
final class ScramUsers {
    private static final int ITERATIONS = 4096;
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private ScramUsers() {}

    static void create(Admin admin, ListenerSecurity security, Duration timeout) {
        SaslMechanism mechanism = security.saslMechanism().orElseThrow();
        ScramMechanism scram =
                mechanism == SaslMechanism.SCRAM_SHA_256 ? ScramMechanism.SCRAM_SHA_256 : ScramMechanism.SCRAM_SHA_512;
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (Map.Entry<String, String> user : security.users().entrySet()) {
            upserts.add(new UserScramCredentialUpsertion(
                    user.getKey(), new ScramCredentialInfo(scram, ITERATIONS), user.getValue()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            admin.alterUserScramCredentials(upserts).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            List<String> users = List.copyOf(security.users().keySet());
            while (!listed(admin, users, scram, deadline)) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException(
                            "the broker did not list the SCRAM users " + users + " within " + timeout);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while creating SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException(
                    "could not create the SCRAM users " + security.users().keySet() + ": "
                            + (e.getCause() == null ? e : e.getCause()),
                    e);
        }
    }

    private static boolean listed(Admin admin, List<String> users, ScramMechanism scram, long deadline)
            throws InterruptedException {
        try {
            Map<String, UserScramCredentialsDescription> described = admin.describeUserScramCredentials(users)
                    .all()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            return users.stream()
                    .allMatch(user -> described.containsKey(user)
                            && described.get(user).credentialInfos().stream()
                                    .anyMatch(info -> info.mechanism() == scram));
        } catch (ExecutionException | TimeoutException e) {
            return false; // a user not known yet fails the whole description
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
