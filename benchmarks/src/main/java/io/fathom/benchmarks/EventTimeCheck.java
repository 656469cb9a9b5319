package io.fathom.benchmarks;

import io.fathom.benchmarks.EventTimeData.Feature;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * Compares the event-time training sets, value by value: Fathom's against DuckDB's (every row, joined on
 * {@code row_id}), and each against the brute force for a sample of rows. Doubles agree within {@link
 * JoinBenchmark#TOLERANCE}, relative to {@code max(1, |a|, |b|)}; a null agrees only with a null.
 */
final class EventTimeCheck {
    private static final int SAMPLE = 5;

    private EventTimeCheck() {}

    /** The number of differing values (a row missing on either side counts as one); prints a summary and a sample. */
    static long compare(Connection duck, Path fathom, Path duckdb) throws SQLException {
        Feature[] features = Feature.values();
        StringBuilder sql = new StringBuilder("SELECT count(*),"
                + " count(*) FILTER (WHERE f.row_id IS NULL OR d.row_id IS NULL OR f.user_id <> d.user_id"
                + " OR f.event_timestamp <> d.event_timestamp)");
        for (Feature feature : features) {
            String c = feature.outputColumn();
            sql.append(", count(*) FILTER (WHERE ").append(differs(c)).append(")");
            sql.append(", max(abs(f.")
                    .append(c)
                    .append(" - d.")
                    .append(c)
                    .append(") / greatest(1.0, abs(f.")
                    .append(c)
                    .append("), abs(d.")
                    .append(c)
                    .append(")))");
        }
        sql.append(joined(fathom, duckdb));
        long differing;
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            long rows = rs.getLong(1);
            long unmatched = rs.getLong(2);
            differing = unmatched;
            StringBuilder perFeature = new StringBuilder();
            for (int f = 0; f < features.length; f++) {
                long d = rs.getLong(3 + 2 * f);
                double worst = rs.getDouble(4 + 2 * f);
                differing += d;
                perFeature.append(String.format(
                        Locale.ROOT,
                        "%n    %-34s differing %,d, largest relative difference %.2g",
                        features[f].column,
                        d,
                        worst));
            }
            System.out.printf(
                    "  Fathom vs DuckDB, every value: %,d rows, %,d unmatched (row_id, user_id, t), %,d values differing"
                            + " (tolerance %.0e relative)%s%n",
                    rows, unmatched, differing, JoinBenchmark.TOLERANCE, perFeature);
        }
        checksums(duck, fathom, "Fathom");
        checksums(duck, duckdb, "DuckDB");
        if (differing > 0) {
            sample(duck, fathom, duckdb);
        }
        return differing;
    }

    private static String differs(String c) {
        return "(f." + c + " IS NULL) <> (d." + c + " IS NULL) OR abs(f." + c + " - d." + c + ") > "
                + JoinBenchmark.TOLERANCE + " * greatest(1.0, abs(f." + c + "), abs(d." + c + "))";
    }

    private static String joined(Path fathom, Path duckdb) {
        StringBuilder cast = new StringBuilder("SELECT CAST(row_id AS BIGINT) AS row_id, CAST(user_id AS BIGINT) AS"
                + " user_id, CAST(event_timestamp AS BIGINT) AS event_timestamp");
        for (Feature feature : Feature.values()) {
            cast.append(", ").append(feature.outputColumn());
        }
        return " FROM (" + cast + " FROM read_parquet('" + fathom + "')) f FULL OUTER JOIN (" + cast
                + " FROM read_parquet('" + duckdb + "')) d ON f.row_id = d.row_id";
    }

    /** Per output: rows, and per feature its non-null count and sum — the checksums printed beside each other. */
    private static void checksums(Connection duck, Path file, String who) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Feature feature : Feature.values()) {
            sql.append(", count(")
                    .append(feature.outputColumn())
                    .append("), sum(")
                    .append(feature.outputColumn())
                    .append(")");
        }
        sql.append(" FROM read_parquet('").append(file).append("')");
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            StringBuilder line =
                    new StringBuilder(String.format(Locale.ROOT, "  checksum %s: rows %d;", who, rs.getLong(1)));
            for (int f = 0; f < Feature.values().length; f++) {
                line.append(String.format(Locale.ROOT, " %d/%.6f", rs.getLong(2 + 2 * f), rs.getDouble(3 + 2 * f)));
            }
            System.out.println(line + "  (non-null count/sum per feature)");
        }
    }

    private static void sample(Connection duck, Path fathom, Path duckdb) throws SQLException {
        StringBuilder any = new StringBuilder("f.row_id IS NULL OR d.row_id IS NULL");
        StringBuilder columns = new StringBuilder("coalesce(f.row_id, d.row_id), f.user_id, f.event_timestamp");
        for (Feature feature : Feature.values()) {
            any.append(" OR ").append(differs(feature.outputColumn()));
            columns.append(", f.").append(feature.outputColumn()).append(", d.").append(feature.outputColumn());
        }
        String sql = "SELECT " + columns + joined(fathom, duckdb) + " WHERE " + any + " ORDER BY 1 LIMIT " + SAMPLE;
        System.out.println("  sample of differing rows (row_id, user_id, t, then per feature Fathom / DuckDB):");
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder("    ");
                for (int i = 1; i <= 3; i++) {
                    row.append(rs.getString(i)).append(' ');
                }
                for (int i = 4; i <= n; i += 2) {
                    row.append(rs.getString(i))
                            .append('/')
                            .append(rs.getString(i + 1))
                            .append(' ');
                }
                System.out.println(row);
            }
        }
    }

    /**
     * Compares rows {@code [0, expected.length)} of an output with the brute force; returns the number of rows
     * with any differing value, and prints a sample.
     */
    static long againstBruteForce(
            Connection duck, Path file, String who, Object[][] expected, int[] users, long[] times)
            throws SQLException {
        Feature[] features = Feature.values();
        StringBuilder sql = new StringBuilder(
                "SELECT CAST(row_id AS BIGINT), CAST(user_id AS BIGINT), CAST(event_timestamp AS BIGINT)");
        for (Feature feature : features) {
            sql.append(", ").append(feature.outputColumn());
        }
        sql.append(" FROM read_parquet('")
                .append(file)
                .append("') WHERE CAST(row_id AS BIGINT) < ")
                .append(expected.length)
                .append(" ORDER BY 1");
        long differing = 0;
        int seen = 0;
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                int r = (int) rs.getLong(1);
                seen++;
                Object[] actual = new Object[features.length];
                for (int f = 0; f < features.length; f++) {
                    actual[f] = rs.getObject(4 + f);
                }
                boolean rowOk = rs.getLong(2) == users[r] && rs.getLong(3) == times[r];
                for (int f = 0; f < features.length && rowOk; f++) {
                    rowOk = same(expected[r] == null ? null : expected[r][f], actual[f]);
                }
                if (!rowOk) {
                    if (differing < SAMPLE) {
                        System.out.printf(
                                "    %s row %d (user %d, t %d): brute force %s, %s %s%n",
                                who,
                                r,
                                users[r],
                                times[r],
                                expected[r] == null ? "nulls" : Arrays.toString(expected[r]),
                                who,
                                Arrays.toString(actual));
                    }
                    differing++;
                }
            }
        }
        differing += expected.length - seen;
        System.out.printf(
                "  %s vs a brute force of DESIGN's rules, rows 0..%d: %,d rows differing%n",
                who, expected.length - 1, differing);
        return differing;
    }

    private static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        double a = ((Number) expected).doubleValue();
        double b = ((Number) actual).doubleValue();
        return Math.abs(a - b) <= JoinBenchmark.TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }
}
