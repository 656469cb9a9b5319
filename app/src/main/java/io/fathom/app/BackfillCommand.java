package io.fathom.app;

import io.fathom.app.config.InvalidConfigException;
import io.fathom.app.config.RunConfigLoader;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.app.offline.OnlineLoad;
import io.fathom.ingest.IngestException;
import io.fathom.ingest.IngestStateSeed;
import io.fathom.kafka.GroupOffsets;
import io.fathom.offline.Backfill;
import io.fathom.offline.BackfillRequest;
import io.fathom.offline.BackfillRequestBuilder;
import io.fathom.offline.BackfillResult;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.LatestStates;
import io.fathom.offline.OfflineException;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.OfflineWriterConfig;
import io.fathom.online.OnlineStore;
import io.fathom.online.OnlineStoreException;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code fathom backfill}: a view's history computed from the event history ({@link Backfill}), for a view added
 * to (or changed in) the definitions after its events were ingested. With {@code --to-online}, also every
 * entity's latest state into the online store and ingest's state, up to where ingest stopped reading the source,
 * so the stream continues exactly from there; ingest must be stopped meanwhile.
 */
@Command(
        name = "backfill",
        description = "Compute a view's history from the event history (for a view added after its events were"
                + " ingested); with --to-online also load its latest states into the online store and ingest.")
public final class BackfillCommand implements Callable<Integer> {
    @Mixin
    Console console;

    @Option(names = "--view", required = true, description = "The view to backfill.")
    String view;

    @Option(
            names = "--from",
            converter = TimeConverter.class,
            description = "First day of snapshots to write (a date, or an ISO-8601 time: its UTC day);"
                    + " default: every day. Earlier events still count in the states.")
    Instant from;

    @Option(
            names = "--to",
            converter = TimeConverter.class,
            description = "Read only events before this time (a date: its UTC midnight, or an ISO-8601 time);"
                    + " default: every archived event. Not with --to-online, which stops where ingest stopped.")
    Instant to;

    @Option(
            names = "--to-online",
            description = "Also load every entity's latest state into the online store and ingest's state, up to"
                    + " ingest's committed position (stop ingest first; it continues from there). Needs --config.")
    boolean toOnline;

    @Option(
            names = "--config",
            description = "The run configuration (YAML) of fathom run: definitions, offline store, Kafka and online"
                    + " store come from it (instead of --definitions and --offline).")
    Path config;

    @Mixin
    OfflineStoreOptions store;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        if (toOnline && config == null) {
            problems.add("--to-online needs --config (the run configuration: Kafka, the online store)");
        }
        if (toOnline && to != null) {
            problems.add("--to cannot be used with --to-online: the states end where ingest stopped reading");
        }
        if (config != null && (console.given("--definitions") || console.given("--offline"))) {
            problems.add("--config names the definitions and the offline store: leave out --definitions and --offline");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("--from (" + from + ") must be before --to (" + to + ")");
        }
        try {
            Optional<NodeConfig> node =
                    config == null ? Optional.empty() : Optional.of(RunConfigLoader.load(config, System.getenv()));
            if (!problems.isEmpty()) {
                return console.fail(2, problems);
            }
            FeatureDefinitions definitions = node.map(NodeConfig::definitions).orElseGet(store::parseDefinitions);
            if (definitions.view(view).isEmpty()) {
                return console.fail(
                        2,
                        "--view: no view " + view + " in the definitions (views: "
                                + definitions.views().stream()
                                        .map(v -> v.name())
                                        .toList() + ")");
            }
            OfflineStoreConfig offline = node.map(
                            n -> OfflineStoreConfig.builder(n.offlineRoot()).build())
                    .orElseGet(store::storeConfig);
            BackfillRequestBuilder request = BackfillRequest.builder(view)
                    .from(Optional.ofNullable(from))
                    .to(Optional.ofNullable(to));
            try (Backfill backfill =
                    new Backfill(definitions, offline, JoinOptions.builder().build(), Clock.systemUTC())) {
                if (!toOnline) {
                    BackfillResult result = run(backfill, request.build(), LatestStates.NONE);
                    report(result, offline);
                    return 0;
                }
                return toOnline(node.get(), backfill, request, offline);
            }
        } catch (InvalidConfigException e) {
            List<String> lines = new ArrayList<>(e.problems());
            lines.add(config + ": " + e.problems().size() + " problem(s); nothing was done");
            return console.fail(2, lines);
        } catch (InvalidDefinitionsException e) {
            return console.fail(2, e.problems());
        } catch (OfflineException | IngestException | OnlineStoreException | IllegalArgumentException e) {
            return console.fail(1, "backfill of " + view + " failed: " + e.getMessage());
        }
    }

    private int toOnline(
            NodeConfig node, Backfill backfill, BackfillRequestBuilder request, OfflineStoreConfig offline) {
        try (IngestStateSeed seed = IngestStateSeed.open(FathomNode.ingestConfig(node), node.definitions(), view)) {
            Map<Integer, Long> boundary = seed.boundary();
            Map<Integer, Long> archived = new TreeMap<>(backfill.archivedThrough(view));
            // The offline writer's committed offsets too: they also step over transaction markers.
            offlineWriterOffsets(node).forEach((partition, offset) -> archived.merge(partition, offset, Math::max));
            List<String> behind = archiveBehind(boundary, archived);
            if (!behind.isEmpty()) {
                behind.add("the event archive does not yet hold every event ingest has read; let the offline writer"
                        + " catch up (fathom run --components offline-writer) and run the backfill again");
                return console.fail(1, behind);
            }
            BackfillResult result;
            long online;
            try (OnlineStore store = FathomNode.openStore(node, Clock.systemUTC());
                    OnlineLoad load = new OnlineLoad(store, view, Clock.systemUTC())) {
                result = run(backfill, request.boundary(boundary).build(), (key, state) -> {
                    seed.put(key, state);
                    load.accept(key, state);
                });
                load.close();
                online = load.written();
            }
            report(result, offline);
            PrintWriter out = console.out();
            out.printf(
                    "  up to ingest's position %s (source partition: first offset not read)%n",
                    new TreeMap<>(boundary));
            out.printf("  online store: %,d latest states written%n", online);
            out.printf(
                    "  ingest state: %,d states written to %s; start ingest to continue from its position%n",
                    result.entities(), seed.changelog());
            out.flush();
            return 0;
        }
    }

    private Map<Integer, Long> offlineWriterOffsets(NodeConfig node) {
        String topic = node.definitions()
                .sourceOf(node.definitions().view(view).orElseThrow())
                .topic();
        try (Admin admin = Admin.create(node.kafka().adminProperties())) {
            return GroupOffsets.committed(admin, OfflineWriterConfig.DEFAULT_GROUP_ID, topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while reading the offline writer's position", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IngestException("cannot read the offline writer's position: " + e.getMessage(), e);
        }
    }

    /** One line per source partition whose archive ends before ingest's position. */
    private static List<String> archiveBehind(Map<Integer, Long> boundary, Map<Integer, Long> archived) {
        List<String> behind = new ArrayList<>();
        new TreeMap<>(boundary).forEach((partition, position) -> {
            long through = archived.getOrDefault(partition, 0L);
            if (through < position) {
                behind.add("partition " + partition + ": archived up to offset " + through + ", ingest at " + position);
            }
        });
        return behind;
    }

    private static BackfillResult run(Backfill backfill, BackfillRequest request, LatestStates latest) {
        try (TerminalProgress progress = TerminalProgress.onConsole()) {
            return backfill.run(request, progress, latest);
        }
    }

    private void report(BackfillResult result, OfflineStoreConfig offline) {
        PrintWriter out = console.out();
        double seconds = Math.max(result.elapsed().toMillis(), 1) / 1000.0;
        out.printf(
                "backfilled %s: %,d events of %,d entities from %,d event files%s in %.1f s (%,.0f events/s)%n",
                result.view(),
                result.events(),
                result.entities(),
                result.filesRead(),
                result.skipped() > 0 ? String.format(" (%,d skipped: no key, bad time or type)", result.skipped()) : "",
                seconds,
                result.events() / seconds);
        out.printf(
                "  snapshot log: %,d snapshots in %,d files under %s/%s%s%n",
                result.snapshots(),
                result.snapshotFiles(),
                offline.root().toString().replaceAll("/+$", ""),
                result.view(),
                result.replacedFiles() > 0
                        ? String.format(" (replacing %,d files of an earlier backfill)", result.replacedFiles())
                        : "");
        out.flush();
    }

    /** A date (its UTC midnight) or an ISO-8601 time with an offset. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    return java.time.OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException(
                            "\"" + text + "\" is neither a date (2026-10-01) nor a time with an offset"
                                    + " (2026-10-01T12:00:00Z)");
                }
            }
        }
    }
}
