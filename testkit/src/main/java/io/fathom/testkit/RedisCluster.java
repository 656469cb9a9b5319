package io.fathom.testkit;

import io.fathom.testkit.internal.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster for tests: N {@code redis-server} processes started with {@code --cluster-enabled yes}, the
 * 16 384 hash slots split into N equal ranges ({@code CLUSTER ADDSLOTSRANGE}), the nodes introduced to the first
 * ({@code CLUSTER MEET}), and ready once every node says {@code cluster_state:ok}. No replicas, no Docker, no
 * {@code redis-cli}.
 *
 * <p>{@link #moveSlot} moves one slot and its keys to another node the way {@code redis-cli --cluster reshard} does
 * (IMPORTING, MIGRATING, {@code MIGRATE}, {@code SETSLOT … NODE} on every node), so a test can check that a client
 * follows the move.
 */
public final class RedisCluster implements AutoCloseable {
    private static final int SLOTS = 16_384;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> nodes = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();

    private RedisCluster(int masters) {
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServer.startOnFreePort(List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "5000")));
            }
            for (int i = 0; i < masters; i++) {
                RedisServer node = nodes.get(i);
                ids.add(bulk(node, "CLUSTER", "MYID"));
                expectOk(
                        node,
                        "CLUSTER",
                        "ADDSLOTSRANGE",
                        String.valueOf(i * SLOTS / masters),
                        String.valueOf((i + 1) * SLOTS / masters - 1));
            }
            for (RedisServer node : nodes.subList(1, masters)) {
                expectOk(nodes.get(0), "CLUSTER", "MEET", node.host(), String.valueOf(node.port()));
            }
            Awaitility.await("every node of " + this + " says cluster_state:ok and knows " + masters + " nodes")
                    .atMost(READY_TIMEOUT)
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> nodes.stream().allMatch(node -> {
                        String info = bulk(node, "CLUSTER", "INFO");
                        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + masters);
                    }));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts a cluster of {@code masters} nodes (3 or more make a cluster Redis would accept in production). */
    public static RedisCluster start(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, was " + masters);
        }
        return new RedisCluster(masters);
    }

    /** The URI Fathom's Redis store takes: {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…}. */
    public String uri() {
        return "redis-cluster://"
                + nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The hash slot of a key ({@code CLUSTER KEYSLOT}). */
    public int slotOf(String key) {
        String reply = command(nodes.get(0), "CLUSTER", "KEYSLOT", key);
        return Integer.parseInt(reply.substring(1));
    }

    /** The index in {@link #nodes()} of the node that serves the slot now, as the first node sees it. */
    public int ownerOf(int slot) {
        for (String line : bulk(nodes.get(0), "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.split(" ");
            for (int f = 8; f < fields.length; f++) {
                String[] range = fields[f].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being imported or migrated
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return ids.indexOf(fields[0]);
                }
            }
        }
        throw new TestkitException("no node of " + this + " serves slot " + slot);
    }

    /**
     * Moves a slot, with the given keys of it, from the node serving it to node {@code to}, and tells every node.
     *
     * @param keys the slot's keys to migrate (the test knows what it wrote)
     */
    public void moveSlot(int slot, int to, List<String> keys) {
        int from = ownerOf(slot);
        if (from == to) {
            throw new IllegalArgumentException("slot " + slot + " is already on node " + to);
        }
        RedisServer source = nodes.get(from);
        RedisServer target = nodes.get(to);
        String s = String.valueOf(slot);
        expectOk(target, "CLUSTER", "SETSLOT", s, "IMPORTING", ids.get(from));
        expectOk(source, "CLUSTER", "SETSLOT", s, "MIGRATING", ids.get(to));
        if (!keys.isEmpty()) {
            List<String> migrate = new ArrayList<>(
                    List.of("MIGRATE", target.host(), String.valueOf(target.port()), "", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            String reply = command(source, migrate.toArray(String[]::new));
            if (!reply.equals("+OK") && !reply.equals("+NOKEY")) {
                throw new TestkitException("MIGRATE of slot " + slot + " to " + target + " answered " + reply);
            }
        }
        expectOk(target, "CLUSTER", "SETSLOT", s, "NODE", ids.get(to));
        expectOk(source, "CLUSTER", "SETSLOT", s, "NODE", ids.get(to));
        for (int i = 0; i < nodes.size(); i++) {
            if (i != from && i != to) {
                expectOk(nodes.get(i), "CLUSTER", "SETSLOT", s, "NODE", ids.get(to));
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (RedisServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "RedisCluster[" + uri() + "]";
    }

    private static void expectOk(RedisServer node, String... args) {
        String reply = command(node, args);
        if (!reply.equals("+OK")) {
            throw new TestkitException(String.join(" ", args) + " on " + node + " answered " + reply);
        }
    }

    private static String command(RedisServer node, String... args) {
        try {
            return Resp.command(node.host(), node.port(), COMMAND_TIMEOUT, args);
        } catch (IOException e) {
            throw new TestkitException(String.join(" ", args) + " on " + node + " failed", e);
        }
    }

    private static String bulk(RedisServer node, String... args) {
        try {
            return Resp.bulk(node.host(), node.port(), COMMAND_TIMEOUT, args);
        } catch (IOException e) {
            throw new TestkitException(String.join(" ", args) + " on " + node + " failed", e);
        }
    }
}
