package io.fathom.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.offline.EntityRow;
import io.fathom.offline.EntityRowsException;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingRow;
import io.fathom.offline.TrainingSetRequest;
import io.fathom.online.BadRequestException;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;

/**
 * {@code POST /v1/features/historical}: the point-in-time join for rows given in the request — in event
 * time from the event history by default, from the snapshot log with {@code "as_known_at": true}. JSON
 * rows in and out for small requests ({@code {"columns": [...], "rows": [[...], ...]}}); with {@code
 * Accept: application/vnd.apache.parquet} the training set comes back as a Parquet file. A view without
 * any event history (or, as known at t, without snapshots) is a 404 naming what is missing.
 */
final class HistoricalEndpoint {
    static final String PARQUET = "application/vnd.apache.parquet";
    private static final String TIMESTAMP = TrainingSetRequest.DEFAULT_TIMESTAMP_COLUMN;

    private final PointInTimeJoin join;
    private final FeatureDefinitions definitions;
    private final ObjectMapper json;

    HistoricalEndpoint(PointInTimeJoin join, FeatureDefinitions definitions, ObjectMapper json) {
        this.join = join;
        this.definitions = definitions;
        this.json = json;
    }

    void handle(Context ctx) throws IOException {
        HistoricalRequest request = json.readValue(ctx.body(), HistoricalRequest.class);
        if (request.features() == null || request.features().isEmpty() || request.entities() == null) {
            throw new BadRequestException(
                    "the body needs \"features\" (view:feature, ...) and \"entities\" (key columns and " + TIMESTAMP
                            + ")");
        }
        request.features().forEach(this::checkFeature);
        List<EntityRow> rows = rows(request.entities());
        boolean asKnownAt = Boolean.TRUE.equals(request.asKnownAt());
        try {
            String accept = ctx.header("Accept");
            if (accept != null && accept.contains(PARQUET)) {
                parquet(ctx, request, asKnownAt);
            } else {
                ctx.json(asJson(rows, join.join(rows, request.features(), asKnownAt), request.features()));
            }
        } catch (EntityRowsException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private void checkFeature(String feature) {
        if (feature == null) {
            throw new BadRequestException("a feature in \"features\" is null: expected \"view:feature\"");
        }
        int colon = feature.indexOf(':');
        if (colon <= 0 || colon == feature.length() - 1) {
            throw new BadRequestException("feature \"" + feature + "\" is not view:feature");
        }
        String viewName = feature.substring(0, colon);
        String name = feature.substring(colon + 1);
        ViewDefinition view = definitions
                .view(viewName)
                .orElseThrow(
                        () -> new UnknownFeatureException("unknown view \"" + viewName + "\" in \"" + feature + "\""));
        if (!name.equals("*")
                && view.features().stream().noneMatch(f -> f.name().equals(name))) {
            throw new UnknownFeatureException("view " + viewName + " has no feature \"" + name + "\"");
        }
    }

    private static List<EntityRow> rows(Map<String, List<Object>> columns) {
        List<Object> times = columns.get(TIMESTAMP);
        if (times == null) {
            throw new BadRequestException("entities need a \"" + TIMESTAMP + "\" column");
        }
        for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
            if (column.getValue() == null || column.getValue().size() != times.size()) {
                throw new BadRequestException("entities column \"" + column.getKey() + "\" has "
                        + (column.getValue() == null ? 0 : column.getValue().size()) + " values but "
                        + TIMESTAMP + " has " + times.size());
            }
        }
        List<EntityRow> rows = new ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            Map<String, Object> keys = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
                if (!column.getKey().equals(TIMESTAMP)) {
                    Object value = column.getValue().get(i);
                    keys.put(column.getKey(), value instanceof Integer n ? n.longValue() : value);
                }
            }
            try {
                rows.add(new EntityRow(keys, EventTimes.parse(times.get(i))));
            } catch (InvalidEventException e) {
                throw new BadRequestException("entities row " + i + ": " + TIMESTAMP + ": " + e.getMessage());
            }
        }
        return rows;
    }

    private static Map<String, Object> asJson(List<EntityRow> rows, List<TrainingRow> joined, List<String> features) {
        List<String> keyColumns =
                rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).keys().keySet());
        List<String> columns = new ArrayList<>(keyColumns);
        columns.add(TIMESTAMP);
        List<String> featureColumns = joined.isEmpty()
                ? List.of()
                : List.copyOf(joined.get(0).features().keySet());
        columns.addAll(featureColumns);
        List<List<Object>> out = new ArrayList<>(joined.size());
        for (TrainingRow row : joined) {
            List<Object> values = new ArrayList<>(columns.size());
            keyColumns.forEach(k -> values.add(row.entityRow().keys().get(k)));
            values.add(row.entityRow().timestampMillis());
            featureColumns.forEach(c -> values.add(row.features().get(c)));
            out.add(values);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", columns);
        body.put("rows", out);
        return body;
    }

    private void parquet(Context ctx, HistoricalRequest request, boolean asKnownAt) throws IOException {
        Path dir = Files.createTempDirectory("fathom-historical-");
        try {
            Path entities = dir.resolve("entities.csv");
            Files.writeString(entities, Csv.of(request.entities()), StandardCharsets.UTF_8);
            Path out = dir.resolve("training-set.parquet");
            join.write(
                    TrainingSetRequest.of(entities, request.features(), out).withAsKnownAt(asKnownAt), (s, d, t) -> {});
            byte[] bytes = Files.readAllBytes(out);
            ctx.contentType(PARQUET).result(bytes);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileUtils.deleteDirectory(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** RFC 4180 CSV of columns given as lists. */
    static final class Csv {
        private Csv() {}

        static String of(Map<String, List<Object>> columns) {
            StringBuilder csv = new StringBuilder();
            List<String> names = List.copyOf(columns.keySet());
            csv.append(String.join(",", names.stream().map(Csv::quote).toList()))
                    .append('\n');
            int rows = columns.get(names.get(0)).size();
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < names.size(); c++) {
                    if (c > 0) {
                        csv.append(',');
                    }
                    Object value = columns.get(names.get(c)).get(i);
                    csv.append(value == null ? "" : quote(value.toString()));
                }
                csv.append('\n');
            }
            return csv.toString();
        }

        private static String quote(String value) {
            return value.contains(",") || value.contains("\"") || value.contains("\n")
                    ? "\"" + value.replace("\"", "\"\"") + "\""
                    : value;
        }
    }
}
