package io.fathom.online;

import static io.fathom.online.TestViews.MERCHANT;
import static io.fathom.online.TestViews.PAIR;
import static io.fathom.online.TestViews.SHORT;
import static io.fathom.online.TestViews.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.core.TileAggregator;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineFeatureReaderTest {
    private static final long T0 = Instant.parse("2026-10-01T12:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryStore store = new InMemoryStore();
    private final OnlineFeatureReader reader = new OnlineFeatureReader(TestViews.DEFINITIONS, store, clock);

    /** User 1: amount 10 in FR 50 minutes before T0, amount 5 in DE 10 minutes before T0. */
    private void userOneHasTwoTransactions() {
        TileAggregator aggregator = TestViews.aggregator(USER);
        EntityState state = aggregator.newState();
        aggregator.add(state, T0 - 50 * MINUTE, TestViews.event(10.0, "FR"));
        aggregator.add(state, T0 - 10 * MINUTE, TestViews.event(5.0, "DE"));
        store.write(List.of(TestViews.snapshot(USER, "1", T0 - 10 * MINUTE + 5, state)));
    }

    private static final List<String> USER_FEATURES = List.of(
            "user_txn:txn_count_1h", "user_txn:amount_sum_1h", "user_txn:amount_max_1d", "user_txn:last_country");

    @Test
    void evaluatesWindowsAtReadTimeNotAtTheLastEvent() {
        userOneHasTwoTransactions();

        OnlineResult atT0 = reader.read(USER_FEATURES, Map.of("user_id", List.of(1)));
        assertThat(atT0.results().get(0).values()).containsExactly(2L, 15.0, 10.0, "DE");
        assertThat(atT0.results().get(0).statuses()).containsOnly(FeatureStatus.PRESENT);
        assertThat(atT0.results().get(0).eventTimestamps()).containsOnly(T0 - 10 * MINUTE);

        clock.advance(2 * HOUR);
        OnlineResult twoHoursLater = reader.read(USER_FEATURES, Map.of("user_id", List.of(1)));
        assertThat(twoHoursLater.results().get(0).values()).containsExactly(0L, 0.0, 10.0, "DE");
        assertThat(twoHoursLater.results().get(0).statuses()).containsOnly(FeatureStatus.PRESENT);

        clock.advance(2 * 24 * HOUR);
        assertThat(reader.read(USER_FEATURES, Map.of("user_id", List.of(1)))
                        .results()
                        .get(0)
                        .values())
                .containsExactly(0L, 0.0, null, "DE");
    }

    @Test
    void aSnapshotFromAheadOfTheClockIsEvaluatedAtItsOwnEventTime() {
        userOneHasTwoTransactions();
        clock.set(T0 - 30 * MINUTE); // the reader's clock lags the producers'
        assertThat(reader.read(List.of("user_txn:txn_count_1h"), Map.of("user_id", List.of(1)))
                        .value(0, "user_txn:txn_count_1h"))
                .isEqualTo(new FeatureValue(2L, FeatureStatus.PRESENT, T0 - 10 * MINUTE));
    }

    @Test
    void anEntityPastItsTtlReadsAsExpired() {
        long eventTs = T0 - 5 * MINUTE;
        store.write(List.of(TestViews.snapshot(PAIR, "1|FR", eventTs, T0, 2)));
        List<String> features = List.of("pair_txn:txn_count_1h");
        Map<String, List<Object>> entities = Map.of("user_id", List.of(1), "country", List.of("FR"));

        clock.set(eventTs + Duration.ofHours(2).toMillis());
        assertThat(reader.read(features, entities).value(0, "pair_txn:txn_count_1h"))
                .isEqualTo(new FeatureValue(0L, FeatureStatus.PRESENT, eventTs));

        clock.advance(1);
        assertThat(reader.read(features, entities).value(0, "pair_txn:txn_count_1h"))
                .isEqualTo(new FeatureValue(null, FeatureStatus.EXPIRED, eventTs));
    }

    @Test
    void anEntityTheStoreDoesNotHoldReadsAsNotFound() {
        userOneHasTwoTransactions();
        OnlineResult result = reader.read(USER_FEATURES, Map.of("user_id", List.of(2, 1)));
        assertThat(result.results().get(0).values()).containsOnlyNulls();
        assertThat(result.results().get(0).statuses()).containsOnly(FeatureStatus.NOT_FOUND);
        assertThat(result.results().get(0).eventTimestamps()).containsOnlyNulls();
        assertThat(result.results().get(1).statuses()).containsOnly(FeatureStatus.PRESENT);
    }

    @Test
    void compositeKeysAreReadRowByRow() {
        store.write(List.of(
                TestViews.snapshot(PAIR, "1|FR", T0 - 1, T0, 1),
                TestViews.snapshot(PAIR, "1|DE", T0 - 2, T0, 2),
                TestViews.snapshot(PAIR, "2|FR", T0 - 3, T0, 3)));
        Map<String, List<Object>> entities = new LinkedHashMap<>();
        entities.put("country", List.of("DE", "FR", "FR", "NL"));
        entities.put("user_id", List.of(1, 2L, "1", 1));

        OnlineResult result = reader.read(List.of("pair_txn:txn_count_1h"), entities);

        assertThat(result.results()).extracting(row -> row.values().get(0)).containsExactly(2L, 3L, 1L, null);
        assertThat(result.results().get(0).entity())
                .containsExactly(Map.entry("user_id", 1), Map.entry("country", "DE"));
    }

    @Test
    void makesOneStoreRoundTripPerView() {
        userOneHasTwoTransactions();
        store.write(List.of(TestViews.snapshot(SHORT, "1", T0 - 1_000, T0, 4)));

        OnlineResult result = reader.read(
                List.of("short_txn:txn_count_1h", "user_txn:txn_count_1h", "short_txn:last_country"),
                Map.of("user_id", List.of(1, 1, 3)));

        assertThat(store.reads()).isEqualTo(2);
        assertThat(result.features())
                .containsExactly("short_txn:txn_count_1h", "user_txn:txn_count_1h", "short_txn:last_country");
        assertThat(result.results().get(0).values()).containsExactly(4L, 2L, "FR");
        assertThat(result.results().get(0).eventTimestamps()).containsExactly(T0 - 1_000, T0 - 10 * MINUTE, T0 - 1_000);
        assertThat(result.results().get(2).statuses()).containsOnly(FeatureStatus.NOT_FOUND);
    }

    @Test
    void valuesComeInRequestOrderWhateverTheViewsOrder() {
        userOneHasTwoTransactions();
        Map<String, List<Object>> one = Map.of("user_id", List.of(1));

        assertThat(reader.read(List.of("user_txn:last_country", "user_txn:txn_count_1h"), one)
                        .results()
                        .get(0)
                        .values())
                .containsExactly("DE", 2L);
        assertThat(reader.read(USER_FEATURES, one).results().get(0).values()).containsExactly(2L, 15.0, 10.0, "DE");
        assertThat(reader.read(List.of("user_txn:amount_max_1d"), one)
                        .results()
                        .get(0)
                        .values())
                .containsExactly(10.0);
        assertThat(reader.read(List.of("user_txn:last_country", "user_txn:txn_count_1h"), one)
                        .results()
                        .get(0)
                        .values())
                .as("the same list again, from the plan cache")
                .containsExactly("DE", 2L);
    }

    @Test
    void theAnswerIsUnmodifiableAndEqualsOneBuiltFromCopies() {
        userOneHasTwoTransactions();
        Map<String, List<Object>> entities = new LinkedHashMap<>();
        entities.put("country", List.of("FR"));
        entities.put("user_id", List.of(1));
        store.write(List.of(TestViews.snapshot(PAIR, "1|FR", T0 - 1, T0, 1)));
        EntityResult pair = reader.read(List.of("pair_txn:txn_count_1h"), entities)
                .results()
                .get(0);
        EntityResult user = reader.read(USER_FEATURES, Map.of("user_id", List.of(1)))
                .results()
                .get(0);

        for (EntityResult row : List.of(pair, user)) {
            assertThatThrownBy(() -> row.values().set(0, 3L)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> row.statuses().add(FeatureStatus.EXPIRED))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> row.eventTimestamps().remove(0)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> row.entity().put("user_id", 2)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> row.entity().entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
            EntityResult copy = new EntityResult(
                    new LinkedHashMap<>(row.entity()),
                    new ArrayList<>(row.values()),
                    new ArrayList<>(row.statuses()),
                    new ArrayList<>(row.eventTimestamps()));
            assertThat(copy).isEqualTo(row).hasSameHashCodeAs(row);
            assertThat(row).isEqualTo(copy);
            assertThat(row.toString()).isEqualTo(copy.toString());
        }
        assertThat(pair.entity())
                .containsExactly(Map.entry("user_id", 1), Map.entry("country", "FR"))
                .containsKey("country")
                .doesNotContainKey("merchant_id");
        assertThat(pair.entity().get("country")).isEqualTo("FR");
        assertThat(pair.entity().get("nope")).isNull();
    }

    @Test
    void serialisesToTheDocumentedJson() throws Exception {
        userOneHasTwoTransactions();
        OnlineResult result = reader.read(
                List.of("user_txn:txn_count_1h", "user_txn:last_country"), Map.of("user_id", List.of(1, 9)));

        String json = new ObjectMapper().writeValueAsString(result);

        long ts = T0 - 10 * MINUTE;
        assertThat(json)
                .isEqualTo("{\"features\":[\"user_txn:txn_count_1h\",\"user_txn:last_country\"],"
                        + "\"results\":[{\"entity\":{\"user_id\":1},\"values\":[2,\"DE\"],"
                        + "\"statuses\":[\"PRESENT\",\"PRESENT\"],\"event_timestamps\":[" + ts + "," + ts + "]},"
                        + "{\"entity\":{\"user_id\":9},\"values\":[null,null],"
                        + "\"statuses\":[\"NOT_FOUND\",\"NOT_FOUND\"],\"event_timestamps\":[null,null]}],"
                        + "\"read_at\":" + T0 + "}");
    }

    @Test
    void storeFailuresReachTheCaller() {
        OnlineStore down = new OnlineStore() {
            @Override
            public void write(List<StoredSnapshot> snapshots) {}

            @Override
            public List<StoredSnapshot> read(String view, List<String> entityKeys) {
                throw new StoreUnavailableException("redis test", "read " + view, "connection refused", null);
            }

            @Override
            public void close() {}
        };
        OnlineFeatureReader failing = new OnlineFeatureReader(TestViews.DEFINITIONS, down, clock);
        assertThatThrownBy(() -> failing.read(USER_FEATURES, Map.of("user_id", List.of(1))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("redis test: read user_txn failed: connection refused");
    }

    @Test
    void unknownViewsAndFeaturesAreNotFound() {
        Map<String, List<Object>> one = Map.of("user_id", List.of(1));
        assertThatThrownBy(() -> reader.read(List.of("nope:txn_count_1h"), one))
                .isInstanceOf(UnknownFeatureException.class)
                .hasMessage("unknown view \"nope\" in feature \"nope:txn_count_1h\"");
        assertThatThrownBy(() -> reader.read(List.of("user_txn:nope"), one))
                .isInstanceOf(UnknownFeatureException.class)
                .hasMessage("view user_txn has no feature \"nope\" (in \"user_txn:nope\")");
    }

    @Test
    void malformedRequestsAreBadRequests() {
        Map<String, List<Object>> one = Map.of("user_id", List.of(1));
        List<String> count = List.of("user_txn:txn_count_1h");

        assertBadRequest(List.of(), one, "no features requested: give at least one \"view:feature\"");
        assertBadRequest(null, one, "no features requested: give at least one \"view:feature\"");
        assertBadRequest(List.of("txn_count_1h"), one, "feature \"txn_count_1h\" is not of the form view:feature");
        assertBadRequest(List.of(":x"), one, "feature \":x\" is not of the form view:feature");
        assertBadRequest(List.of("user_txn:"), one, "feature \"user_txn:\" is not of the form view:feature");
        assertBadRequest(List.of("a:b:c"), one, "feature \"a:b:c\" is not of the form view:feature");
        assertBadRequest(Arrays.asList("user_txn:txn_count_1h", null), one, "feature #1 is null");
        assertBadRequest(
                List.of("user_txn:txn_count_1h", "user_txn:txn_count_1h"),
                one,
                "feature \"user_txn:txn_count_1h\" is requested twice");
        assertBadRequest(
                List.of("user_txn:txn_count_1h", "merchant_txn:txn_count_1h"),
                one,
                "features of different entities in one request: \"user_txn:txn_count_1h\" is of entity user,"
                        + " \"merchant_txn:txn_count_1h\" of entity merchant");
        assertBadRequest(count, Map.of(), "no entity rows: give the key columns [user_id] of entity user");
        assertBadRequest(count, null, "no entity rows: give the key columns [user_id] of entity user");
        assertBadRequest(count, Map.of("user_id", List.of()), "no entity rows: the key columns [user_id] are empty");
        assertBadRequest(
                count,
                Map.of("merchant_id", List.of(1)),
                "unexpected key column \"merchant_id\" for entity user (its key columns are [user_id])");
        assertBadRequest(
                List.of("pair_txn:txn_count_1h"),
                Map.of("user_id", List.of(1)),
                "missing key column \"country\" for entity user_country (its key columns are [user_id, country])");
        Map<String, List<Object>> unequal = new LinkedHashMap<>();
        unequal.put("user_id", List.of(1, 2));
        unequal.put("country", List.of("FR"));
        assertBadRequest(
                List.of("pair_txn:txn_count_1h"),
                unequal,
                "key columns differ in length: user_id has 2 values, country has 1");
        assertBadRequest(
                count, Map.of("user_id", Arrays.asList(1, null)), "key column user_id, row 1: the value is null");
        assertBadRequest(
                count,
                Map.of("user_id", List.of(1, true)),
                "row 1: key column user_id: a Boolean (true) is not an integer or a string");
        assertBadRequest(
                count,
                Map.of("user_id", List.of(1.5)),
                "row 0: key column user_id: a Double (1.5) is not an integer or a string");
        assertThat(store.reads()).isZero();
    }

    private void assertBadRequest(List<String> features, Map<String, List<Object>> entities, String message) {
        assertThatThrownBy(() -> reader.read(features, entities))
                .isInstanceOf(BadRequestException.class)
                .hasMessage(message);
    }

    @Test
    void theMerchantViewIsReadByMerchantId() {
        StoredSnapshot snapshot = TestViews.snapshot(MERCHANT, "77", T0 - 1, T0, 3);
        store.write(List.of(snapshot));
        assertThat(reader.read(List.of("merchant_txn:txn_count_1h"), Map.of("merchant_id", List.of("77")))
                        .value(0, "merchant_txn:txn_count_1h")
                        .value())
                .isEqualTo(3L);
    }
}
