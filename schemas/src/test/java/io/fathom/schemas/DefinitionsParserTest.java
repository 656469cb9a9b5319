package io.fathom.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DefinitionsParserTest {
    static final Path EXAMPLES = Examples.directory();

    /** A small valid file; each rule test breaks one line of it. */
    static final String VALID =
            """
            entities:
              - name: user
                keys: [user_id]
            sources:
              - name: transactions
                topic: transactions
                format: avro
                schema: transaction.avsc
                timestamp: event_time
            views:
              - name: user_txn
                entity: user
                source: transactions
                granularity: 1m
                ttl: 7d
                features:
                  - {name: txn_count_1h, aggregation: count, window: 1h}
                  - {name: amount_sum_1h, aggregation: sum, field: amount, window: 1h}
            monitors:
              - view: user_txn
                window: 15m
                drift: {method: psi, threshold: 0.2}
            """;

    @TempDir
    Path directory;

    @BeforeEach
    void copySchema() throws IOException {
        Files.copy(EXAMPLES.resolve("transaction.avsc"), directory.resolve("transaction.avsc"));
    }

    // ---------------------------------------------------------------------------- example files

    @Test
    void theExampleParsesIntoTheDesignRecords() {
        FeatureDefinitions definitions = DefinitionsParser.parse(EXAMPLES.resolve("fathom.yaml"));

        assertThat(definitions.entities())
                .containsExactly(
                        new EntityDefinition("user", List.of("user_id")),
                        new EntityDefinition("merchant", List.of("merchant_id")));
        SourceDefinition source = definitions.sources().get(0);
        assertThat(definitions.sources()).hasSize(1);
        assertThat(source.name()).isEqualTo("transactions");
        assertThat(source.topic()).isEqualTo("transactions");
        assertThat(source.format()).isEqualTo(EventFormat.AVRO);
        assertThat(source.timestampField()).isEqualTo("event_time");
        assertThat(source.schema()).get().extracting(Schema::getFullName).isEqualTo("io.fathom.examples.Transaction");
        assertThat(source.schema().orElseThrow().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("user_id", "merchant_id", "merchant", "amount", "country", "event_time");

        assertThat(definitions.views()).containsExactly(userTxn(), merchantTxn());
        assertThat(definitions.monitors())
                .containsExactly(
                        new DriftMonitor("user_txn", Duration.ofMinutes(15), 500, new DriftRule("psi", 0.2), Map.of()),
                        new BiasMonitor(
                                "fraud_v3",
                                "fraud_predictions",
                                Optional.of("fraud_labels"),
                                List.of("gender", "age_band"),
                                new BiasRule(0.8, 0.1)));
        assertThat(definitions.entityOf(definitions.views().get(1)).keys()).containsExactly("merchant_id");
        assertThat(definitions.viewsOf(source)).hasSize(2);
    }

    @Test
    void theJsonExampleHasTheSameViewsOverASourceWithoutSchema() {
        FeatureDefinitions json = DefinitionsParser.parse(EXAMPLES.resolve("fathom-json.yaml"));
        FeatureDefinitions avro = DefinitionsParser.parse(EXAMPLES.resolve("fathom.yaml"));

        assertThat(json.sources())
                .containsExactly(new SourceDefinition(
                        "transactions", "transactions", EventFormat.JSON, Optional.empty(), "event_time"));
        assertThat(json.entities()).isEqualTo(avro.entities());
        assertThat(json.views()).isEqualTo(avro.views());
        assertThat(json.monitors()).isEqualTo(avro.monitors());
    }

    @Test
    void theBrokenExampleReportsEveryProblemInFileOrder() {
        Path broken = EXAMPLES.resolve("broken.yaml");

        assertThatThrownBy(() -> DefinitionsParser.parse(broken))
                .isInstanceOfSatisfying(InvalidDefinitionsException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "entities[1].name: duplicate entity name \"user\" (first declared at entities[0])",
                                "entities[1].keys: must not be empty",
                                "entities[2]: missing required key \"name\"",
                                "entities[2].keys: expected a list, got \"merchant_id\"",
                                "sources[0].format: \"protobuf\" is not a format (allowed: json, avro, avro-registry)",
                                "sources[1]: format avro needs a schema (the path of an Avro record schema)",
                                "sources[1].topic: \"payments queue\" is not a valid Kafka topic name"
                                        + " (use letters, digits, '.', '_' and '-', at most 249 characters)",
                                "sources[2].schema: \"missing.avsc\" not found"
                                        + " (schema paths are relative to the definitions file)",
                                "sources[3].timestamp: \"created_at\" is not a field of schema"
                                        + " io.fathom.examples.Transaction"
                                        + " (fields: user_id, merchant_id, merchant, amount, country, event_time)",
                                "views[0].entity: no entity named \"usr\" (did you mean \"user\"?)",
                                "views[0].features[0].window: \"1hr\" is not a duration"
                                        + " (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)",
                                "views[0].features[1]: sum needs a window (only first and last may go without)",
                                "views[0].features[1].windw: unknown key (did you mean \"window\"?)",
                                "views[0].features[2].aggregation: \"avg\" is not an aggregation,"
                                        + " did you mean \"mean\"?"
                                        + " (allowed: count, sum, mean, min, max, stddev, count_distinct, last, first)",
                                "views[0].features[3].name: duplicate feature name \"txn_count_1h\""
                                        + " (first declared at views[0].features[0])",
                                "views[0].features[3].field: count takes no field",
                                "views[0].features[3].window: 90s is not a multiple of the view's granularity 1m",
                                "views[1].granularity: must be positive, was 0s",
                                "views[1].allowed_lateness: \"10 minutes\" is not a duration"
                                        + " (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)",
                                "views[1].features[0].field: \"shop\" is not a field of schema"
                                        + " io.fathom.examples.Transaction"
                                        + " (fields: user_id, merchant_id, merchant, amount, country, event_time)",
                                "views[1].features[1].field: sum needs a numeric field (int, long, float or double),"
                                        + " but merchant is string",
                                "views[1].features[2]: max needs a field",
                                "views[1].features[2]: max needs a window (only first and last may go without)",
                                "views[2]: missing required key \"entity\"",
                                "views[2]: missing required key \"source\"",
                                "views[2]: missing required key \"granularity\"",
                                "views[2]: missing required key \"ttl\"",
                                "views[2].features: must not be empty",
                                "monitors[0].view: no view named \"user_txns\" (did you mean \"user_txn\"?)",
                                "monitors[0].min_samples: must be at least 1, was 0",
                                "monitors[0].drift.method: \"psy\" is not a drift method, did you mean \"psi\"?"
                                        + " (allowed: psi, kl, js, wasserstein, ks, chi2)",
                                "monitors[0].drift.threshold: must be greater than 0, was 0",
                                "monitors[1].drift.features.max_amount: missing threshold: method ks differs from"
                                        + " the monitor's (psi), so its threshold cannot be inherited",
                                "monitors[1].drift.features.amount_total: view order_stats has no feature"
                                        + " \"amount_total\" (features: shops_1d, merchant_sum_1d, max_amount)",
                                "monitors[2].protected: must not be empty",
                                "monitors[2].bias.disparate_impact_min: must be in (0, 1], was 1.25",
                                "monitors[2].for: must be at least 1, was 0",
                                "monitors[3]: a monitor needs either view (a drift monitor) or model (a bias monitor)"))
                .hasMessageStartingWith(broken + " has 38 problem(s):");
    }

    @Test
    void theSmallValidFileParses() {
        FeatureDefinitions definitions = parse(VALID);

        assertThat(definitions.views()).singleElement().satisfies(view -> {
            assertThat(view.allowedLateness()).isZero();
            assertThat(view.features())
                    .containsExactly(
                            new FeatureDefinition(
                                    "txn_count_1h", Aggregation.COUNT, Optional.empty(), Optional.of(hours(1))),
                            new FeatureDefinition(
                                    "amount_sum_1h", Aggregation.SUM, Optional.of("amount"), Optional.of(hours(1))));
        });
    }

    // ------------------------------------------------------------------------------- the file itself

    @Nested
    class TheFile {
        @Test
        void aMissingFileIsAnIoErrorNotAProblemList() {
            assertThatThrownBy(() -> DefinitionsParser.parse(directory.resolve("nope.yaml")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("nope.yaml");
        }

        @Test
        void anEmptyFileIsOneProblem() {
            assertThat(problems("# nothing but a comment\n"))
                    .containsExactly("the file is empty; expected entities, sources, views and monitors");
        }

        @Test
        void theTopLevelMustBeAMapping() {
            assertThat(problems("- user\n- transactions\n"))
                    .containsExactly(
                            "the file must hold a mapping with entities, sources, views and monitors, not a list");
        }

        @Test
        void aYamlSyntaxErrorIsOneProblemWithItsLine() {
            assertThat(problems("entities:\n  - name: user\n    keys: [user_id\nsources: []\n"))
                    .singleElement()
                    .asString()
                    .startsWith("line 4, column ")
                    .contains("not valid YAML");
        }

        @Test
        void onlyOneYamlDocumentIsAllowed() {
            assertThat(problems(VALID + "---\nentities: []\n"))
                    .containsExactly("line 24: only one YAML document is allowed per file");
        }

        @Test
        void aYamlAliasIsReportedInsteadOfWhatTheParserMakesOfIt() {
            String yaml = replace(
                    VALID,
                    "- {name: txn_count_1h,",
                    "- &counted {name: txn_count_1h,",
                    "- {name: amount_sum_1h, aggregation: sum, field: amount, window: 1h}",
                    "- *counted");

            assertThat(problems(yaml))
                    .containsExactly(
                            "views[0].features[1]: YAML aliases (*counted) are not supported; write the value out");
        }

        @Test
        void aKeyGivenTwiceIsReported() {
            assertThat(problems(VALID.replace("    ttl: 7d\n", "    ttl: 7d\n    ttl: 1d\n")))
                    .containsExactly("views[0].ttl: duplicate key");
        }

        @Test
        void topLevelSectionsAreRequiredAndMonitorsAreOptional() {
            assertThat(problems("monitors: []\n"))
                    .containsExactly(
                            "missing required key \"entities\"",
                            "missing required key \"sources\"",
                            "missing required key \"views\"");
            assertThat(parse(VALID.substring(0, VALID.indexOf("monitors:"))).monitors())
                    .isEmpty();
        }

        @Test
        void anEmptySectionIsReported() {
            String yaml = VALID.substring(0, VALID.indexOf("views:")) + "views: []\n";

            assertThat(problems(yaml)).containsExactly("views: must not be empty");
        }
    }

    // ------------------------------------------------------------------------------------ keys and types

    @Nested
    class KeysAndTypes {
        @Test
        void aMisspeltKeyIsReportedWithTheKeyItResembles() {
            assertProblems(
                    "aggregation: count, window: 1h",
                    "aggregation: count, windw: 1h",
                    "views[0].features[0]: count needs a window (only first and last may go without)",
                    "views[0].features[0].windw: unknown key (did you mean \"window\"?)");
        }

        @Test
        void anUnknownKeyIsReportedWithTheKeysAllowedThere() {
            assertThat(problems(VALID + "owner: data-team\n"))
                    .containsExactly("owner: unknown key (expected one of entities, sources, views, monitors)");
        }

        @Test
        void aMissingRequiredKeyIsReportedOnItsMapping() {
            assertProblems("    ttl: 7d\n", "", "views[0]: missing required key \"ttl\"");
        }

        @Test
        void aRequiredKeyWithoutValueIsReportedOnTheKey() {
            assertProblems("    ttl: 7d\n", "    ttl:\n", "views[0].ttl: missing value");
        }

        @Test
        void wrongYamlTypesAreReportedWithTheValue() {
            String yaml = replace(
                    VALID,
                    "keys: [user_id]",
                    "keys: user_id",
                    "topic: transactions",
                    "topic: 42",
                    "features:\n",
                    "features:\n      - amount_max\n",
                    "threshold: 0.2",
                    "threshold: high");

            assertThat(problems(yaml))
                    .containsExactly(
                            "entities[0].keys: expected a list, got \"user_id\"",
                            "sources[0].topic: expected a string, got 42",
                            "views[0].features[0]: expected a mapping, got \"amount_max\"",
                            "monitors[0].drift.threshold: expected a number, got \"high\"");
        }
    }

    // ---------------------------------------------------------------------------------------- durations

    @Nested
    class Durations {
        @ParameterizedTest
        @CsvSource({"500ms, PT0.5S", "30s, PT30S", "15m, PT15M", "1h, PT1H", "7d, PT168H", "PT1H, PT1H", "P1D, PT24H"})
        void areWrittenWithAUnitOrInIso8601(String written, Duration expected) {
            FeatureDefinitions definitions = parse(replace(VALID, "ttl: 7d", "ttl: " + written));

            assertThat(definitions.views().get(0).ttl()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1hr", "1.5h", "h", "-1h", "1 h", "10 minutes", "PT0.0001S", "1h30m"})
        void anythingElseIsNotADuration(String written) {
            assertProblems(
                    "count, window: 1h}",
                    "count, window: " + written + "}",
                    "views[0].features[0].window: \"" + written + "\" is not a duration"
                            + " (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)");
        }

        @Test
        void aBareNumberIsNotADurationExceptZero() {
            assertProblems(
                    "ttl: 7d",
                    "ttl: 60",
                    "views[0].ttl: 60 is not a duration (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)");
            assertThat(parse(replace(VALID, "ttl: 7d", "ttl: 7d\n    allowed_lateness: 0"))
                            .views()
                            .get(0)
                            .allowedLateness())
                    .isZero();
        }
    }

    // ----------------------------------------------------------------------------------------- entities

    @Nested
    class Entities {
        @Test
        void namesAreUniqueAndValid() {
            String yaml = replace(
                    VALID,
                    "    keys: [user_id]\n",
                    "    keys: [user_id]\n  - {name: user account, keys: [id]}\n  - {name: user, keys: [id]}\n");

            assertThat(problems(yaml))
                    .containsExactly(
                            "entities[1].name: \"user account\" is not a valid name"
                                    + " (use letters, digits and _, starting with a letter or _)",
                            "entities[2].name: duplicate entity name \"user\" (first declared at entities[0])");
        }

        @Test
        void keysAreANonEmptyListOfDistinctColumns() {
            assertProblems("keys: [user_id]", "keys: []", "entities[0].keys: must not be empty");
            assertProblems(
                    "keys: [user_id]",
                    "keys: [user_id, merchant_id, user_id]",
                    "entities[0].keys[2]: duplicate key column \"user_id\"");
        }

        @Test
        void compositeKeysAreAllowed() {
            FeatureDefinitions definitions = parse(replace(VALID, "keys: [user_id]", "keys: [user_id, merchant_id]"));

            assertThat(definitions.entities().get(0).keys()).containsExactly("user_id", "merchant_id");
        }
    }

    // ------------------------------------------------------------------------------------------ sources

    @Nested
    class Sources {
        @Test
        void namesAreUnique() {
            String yaml = replace(
                    VALID,
                    "sources:\n",
                    "sources:\n  - {name: transactions, topic: other, format: json, timestamp: ts}\n");

            assertThat(problems(yaml))
                    .containsExactly(
                            "sources[1].name: duplicate source name \"transactions\" (first declared at sources[0])");
        }

        @Test
        void theTopicIsRequiredAndMustBeAValidTopicName() {
            assertProblems("    topic: transactions\n", "", "sources[0]: missing required key \"topic\"");
            assertProblems(
                    "topic: transactions",
                    "topic: txn/raw",
                    "sources[0].topic: \"txn/raw\" is not a valid Kafka topic name"
                            + " (use letters, digits, '.', '_' and '-', at most 249 characters)");
        }

        @Test
        void theFormatIsJsonAvroOrAvroRegistry() {
            assertProblems(
                    "format: avro",
                    "format: protobuf",
                    "sources[0].format: \"protobuf\" is not a format (allowed: json, avro, avro-registry)");
            assertThat(parse(replace(VALID, "format: avro", "format: avro-registry"))
                            .sources()
                            .get(0)
                            .format())
                    .isEqualTo(EventFormat.AVRO_REGISTRY);
        }

        @ParameterizedTest
        @ValueSource(strings = {"avro", "avro-registry"})
        void avroFormatsNeedASchema(String format) {
            String yaml = replace(VALID, "format: avro", "format: " + format, "    schema: transaction.avsc\n", "");

            assertThat(problems(yaml))
                    .containsExactly(
                            "sources[0]: format " + format + " needs a schema (the path of an Avro record schema)");
        }

        @Test
        void jsonNeedsNoSchemaButMayHaveOne() {
            String withSchema = replace(VALID, "format: avro", "format: json");
            String withoutSchema = replace(withSchema, "    schema: transaction.avsc\n", "");

            assertThat(parse(withSchema).sources().get(0).schema()).isPresent();
            assertThat(parse(withoutSchema).sources().get(0).schema()).isEmpty();
        }

        @Test
        void theSchemaPathIsRelativeToTheDefinitionsFile() throws IOException {
            Path nested = Files.createDirectories(directory.resolve("conf/schemas"));
            Files.move(directory.resolve("transaction.avsc"), nested.resolve("transaction.avsc"));
            Path file = directory.resolve("conf/fathom.yaml");
            Files.writeString(file, replace(VALID, "schema: transaction.avsc", "schema: schemas/transaction.avsc"));

            assertThat(DefinitionsParser.parse(file).sources().get(0).schema()).isPresent();
            assertThat(problems(VALID))
                    .containsExactly("sources[0].schema: \"transaction.avsc\" not found"
                            + " (schema paths are relative to the definitions file)");
        }

        @Test
        void theSchemaMustBeAValidAvroRecordSchema() throws IOException {
            Files.writeString(
                    directory.resolve("broken.avsc"), "{\"type\": \"record\", \"name\": \"X\", \"fields\": [");
            Files.writeString(directory.resolve("string.avsc"), "\"string\"");

            assertThat(problems(replace(VALID, "schema: transaction.avsc", "schema: broken.avsc")))
                    .singleElement()
                    .asString()
                    .startsWith("sources[0].schema: \"broken.avsc\" is not a valid Avro schema: ");
            assertProblems(
                    "schema: transaction.avsc",
                    "schema: string.avsc",
                    "sources[0].schema: \"string.avsc\" holds a schema of type string;"
                            + " an event schema must be a record");
            assertProblems("schema: transaction.avsc", "schema: .", "sources[0].schema: \".\" is not a file");
        }

        @ParameterizedTest
        @CsvSource({
            "hdfs://namenode:8020/warehouse/./transactions, hdfs://namenode:8020/warehouse/transactions",
            "s3a://bucket/events/transactions/, s3a://bucket/events/transactions/",
            "/data/transactions.parquet, file:///data/transactions.parquet",
            "file:///data/transactions, file:///data/transactions"
        })
        void historyIsAHadoopUriOrAnAbsolutePath(String written, String expected) {
            assertThat(historyOf(withHistory(written))).contains(URI.create(expected));
        }

        @Test
        void aRelativeHistoryPathIsRelativeToTheDefinitionsFileAndHistoryIsOptional() {
            assertThat(historyOf(withHistory("exports/../exports/transactions")))
                    .contains(directory
                            .resolve("exports/transactions")
                            .toAbsolutePath()
                            .toUri());
            assertThat(historyOf(VALID)).isEmpty();
        }

        @Test
        void aBadHistoryIsReportedWithItsPath() {
            assertThat(problems(withHistory("\"hdfs://namenode:8020/ware house\"")))
                    .containsExactly("sources[0].history: \"hdfs://namenode:8020/ware house\" is not a valid URI:"
                            + " Illegal character in path at index 25: hdfs://namenode:8020/ware house");
            String noDirectory = " names no dataset directory (write the URI of the dataset's directory or file,"
                    + " e.g. hdfs://namenode:8020/warehouse/transactions or file:///data/transactions)";
            assertThat(problems(withHistory("s3a://bucket")))
                    .containsExactly("sources[0].history: \"s3a://bucket\"" + noDirectory);
            assertThat(problems(withHistory("mailto:data@example.com")))
                    .containsExactly("sources[0].history: \"mailto:data@example.com\"" + noDirectory);
            assertThat(problems(withHistory("\"a\\0b\"")))
                    .containsExactly(
                            "sources[0].history: \"a\\u0000b\" is not a valid path: Nul character not allowed");
            assertThat(problems(withHistory("\"  \""))).containsExactly("sources[0].history: must not be empty");
            assertThat(problems(withHistory("[a, b]")))
                    .singleElement()
                    .asString()
                    .startsWith("sources[0].history: ");
            assertThat(problems(withHistory("hdfs:///x").replace("    history:", "    histroy:")))
                    .containsExactly("sources[0].histroy: unknown key (did you mean \"history\"?)");
        }

        private Optional<URI> historyOf(String yaml) {
            return parse(yaml).sources().get(0).history();
        }

        private String withHistory(String history) {
            return replace(
                    VALID, "    timestamp: event_time\n", "    timestamp: event_time\n    history: " + history + "\n");
        }

        @Test
        void theTimestampIsRequiredAndMustBeATimeFieldOfTheSchema() throws IOException {
            assertProblems("    timestamp: event_time\n", "", "sources[0]: missing required key \"timestamp\"");
            assertProblems(
                    "timestamp: event_time",
                    "timestamp: event_tme",
                    "sources[0].timestamp: \"event_tme\" is not a field of schema"
                            + " io.fathom.examples.Transaction (did you mean \"event_time\"?)");
            assertProblems(
                    "timestamp: event_time",
                    "timestamp: amount",
                    "sources[0].timestamp: field amount is double;"
                            + " an event time must be a long (epoch millis) or string (ISO-8601 with offset)");

            Files.writeString(
                    directory.resolve("iso.avsc"),
                    schema("{\"name\": \"user_id\", \"type\": \"string\"},"
                            + "{\"name\": \"amount\", \"type\": \"int\"},"
                            + "{\"name\": \"at\", \"type\": [\"null\", \"string\"]}"));
            assertThat(parse(replace(
                                    replace(VALID, "transaction.avsc", "iso.avsc"),
                                    "timestamp: event_time",
                                    "timestamp: at"))
                            .sources()
                            .get(0)
                            .timestampField())
                    .isEqualTo("at");
        }
    }

    // -------------------------------------------------------------------------------------------- views

    @Nested
    class Views {
        @Test
        void namesAreUnique() {
            String yaml = replace(
                    VALID,
                    "monitors:\n",
                    """
                      - name: user_txn
                        entity: user
                        source: transactions
                        granularity: 1m
                        ttl: 1d
                        features: [{name: n, aggregation: count, window: 1h}]
                    monitors:
                    """);

            assertThat(problems(yaml))
                    .containsExactly("views[1].name: duplicate view name \"user_txn\" (first declared at views[0])");
        }

        @Test
        void theEntityAndSourceMustExist() {
            String yaml =
                    replace(VALID, "entity: user", "entity: customer", "source: transactions", "source: transaction");

            assertThat(problems(yaml))
                    .containsExactly(
                            "views[0].entity: no entity named \"customer\" (entities: user)",
                            "views[0].source: no source named \"transaction\" (did you mean \"transactions\"?)");
        }

        @Test
        void granularityAndTtlArePositiveAndLatenessIsNotNegative() {
            String yaml = replace(
                    VALID, "granularity: 1m", "granularity: 0s", "ttl: 7d", "ttl: PT0S\n    allowed_lateness: -PT1M");

            assertThat(problems(yaml))
                    .containsExactly(
                            "views[0].granularity: must be positive, was 0s",
                            "views[0].ttl: must be positive, was 0s",
                            "views[0].allowed_lateness: must not be negative, was -1m");
        }

        @Test
        void allowedLatenessDefaultsToZero() {
            assertThat(parse(VALID).views().get(0).allowedLateness()).isZero();
            assertThat(parse(replace(VALID, "ttl: 7d", "ttl: 7d\n    allowed_lateness: 10m"))
                            .views()
                            .get(0)
                            .allowedLateness())
                    .isEqualTo(Duration.ofMinutes(10));
        }

        @Test
        void theKeyColumnsOfTheEntityMustBeFieldsOfTheSchema() {
            assertProblems(
                    "keys: [user_id]",
                    "keys: [user_id, account_id]",
                    "views[0].entity: key column account_id of entity user:"
                            + " \"account_id\" is not a field of schema io.fathom.examples.Transaction"
                            + " (fields: user_id, merchant_id, merchant, amount, country, event_time)");
        }

        @Test
        void aJsonSourceSkipsTheSchemaChecks() {
            String yaml = replace(
                    VALID,
                    "format: avro",
                    "format: json",
                    "    schema: transaction.avsc\n",
                    "",
                    "keys: [user_id]",
                    "keys: [account_id]",
                    "field: amount",
                    "field: anything");

            assertThat(parse(yaml).views().get(0).features().get(1).field()).contains("anything");
        }
    }

    // ----------------------------------------------------------------------------------------- features

    @Nested
    class Features {
        @Test
        void aViewNeedsFeatures() {
            String yaml = VALID.substring(0, VALID.indexOf("    features:")) + "    features: []\n";

            assertThat(problems(yaml)).containsExactly("views[0].features: must not be empty");
        }

        @Test
        void namesAreUniqueWithinAViewButNotAcrossViews() {
            String yaml = replace(VALID, "name: amount_sum_1h", "name: txn_count_1h");

            assertThat(problems(yaml))
                    .containsExactly("views[0].features[1].name: duplicate feature name \"txn_count_1h\""
                            + " (first declared at views[0].features[0])");
            assertThat(DefinitionsParser.parse(EXAMPLES.resolve("fathom.yaml")).views())
                    .allSatisfy(view -> assertThat(view.features())
                            .extracting(FeatureDefinition::name)
                            .contains("txn_count_1h"));
        }

        @Test
        void theAggregationMustBeKnownAndTheMessageListsTheAllowedOnes() {
            assertProblems(
                    "aggregation: sum",
                    "aggregation: percentile",
                    "views[0].features[1].aggregation: \"percentile\" is not an aggregation"
                            + " (allowed: count, sum, mean, min, max, stddev, count_distinct, last, first)");
            assertThat(problems(replace(VALID, "aggregation: sum", "aggregation: std")))
                    .singleElement()
                    .asString()
                    .contains("did you mean \"stddev\"?");
        }

        @Test
        void aWindowedAggregationNeedsAWindow() {
            assertProblems(
                    "count, window: 1h}",
                    "count}",
                    "views[0].features[0]: count needs a window (only first and last may go without)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"last", "first"})
        void firstAndLastMayGoWithoutAWindow(String aggregation) {
            String yaml = replace(
                    VALID,
                    "features:\n",
                    "features:\n      - {name: x, aggregation: " + aggregation
                            + ", field: country}\n      - {name: y, aggregation: " + aggregation
                            + ", field: country, window: 1d}\n");

            assertThat(parse(yaml).views().get(0).features().get(0).window()).isEmpty();
            assertThat(parse(yaml).views().get(0).features().get(1).window()).contains(Duration.ofDays(1));
        }

        @Test
        void theWindowMustBeAPositiveMultipleOfTheGranularity() {
            assertProblems(
                    "count, window: 1h",
                    "count, window: 90s",
                    "views[0].features[0].window: 90s is not a multiple of the view's granularity 1m");
            assertProblems(
                    "count, window: 1h", "count, window: 0s", "views[0].features[0].window: must be positive, was 0s");
        }

        @Test
        void anAggregationOfAFieldNeedsTheField() {
            assertProblems("field: amount, ", "", "views[0].features[1]: sum needs a field");
        }

        @Test
        void countTakesNoField() {
            assertProblems(
                    "aggregation: count,",
                    "aggregation: count, field: amount,",
                    "views[0].features[0].field: count takes no field");
        }

        @Test
        void theFieldMustBeInTheSchema() {
            assertProblems(
                    "field: amount",
                    "field: amout",
                    "views[0].features[1].field: \"amout\" is not a field of schema"
                            + " io.fathom.examples.Transaction (did you mean \"amount\"?)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"sum", "mean", "min", "max", "stddev"})
        void numericAggregationsNeedANumericField(String aggregation) {
            assertThat(problems(replace(
                            VALID,
                            "aggregation: sum, field: amount",
                            "aggregation: " + aggregation + ", field: country")))
                    .containsExactly("views[0].features[1].field: " + aggregation
                            + " needs a numeric field (int, long, float or double), but country is string");
        }

        @Test
        void nullableNumbersAreNumeric() throws IOException {
            Files.writeString(
                    directory.resolve("nullable.avsc"),
                    schema("{\"name\": \"user_id\", \"type\": \"long\"},"
                            + "{\"name\": \"event_time\", \"type\": \"long\"},"
                            + "{\"name\": \"amount\", \"type\": [\"null\", \"float\"], \"default\": null},"
                            + "{\"name\": \"tags\", \"type\": {\"type\": \"array\", \"items\": \"string\"}}"));
            String yaml = replace(VALID, "transaction.avsc", "nullable.avsc");

            assertThat(parse(yaml).views().get(0).features()).hasSize(2);
            assertThat(problems(replace(yaml, "field: amount", "field: tags")))
                    .containsExactly("views[0].features[1].field: sum needs a numeric field"
                            + " (int, long, float or double), but tags is array");
            assertThat(problems(replace(
                            yaml, "aggregation: sum, field: amount", "aggregation: count_distinct," + " field: tags")))
                    .containsExactly("views[0].features[1].field: count_distinct needs a field of type"
                            + " int, long, float, double, string, boolean or enum, but tags is array");
        }
    }

    // ----------------------------------------------------------------------------------------- monitors

    @Nested
    class Monitors {
        @Test
        void aDriftMonitorHasDefaults() {
            DriftMonitor monitor = (DriftMonitor) parse(VALID).monitors().get(0);

            assertThat(monitor.minSamples()).isEqualTo(500);
            assertThat(monitor.forWindows()).isEqualTo(2);
            assertThat(monitor.resolveAfter()).isEqualTo(2);
            assertThat(monitor.grace()).isEqualTo(Duration.ofMinutes(1));
            assertThat(monitor.featureOverrides()).isEmpty();
        }

        @Test
        void aDriftMonitorReadsEveryKey() {
            DriftMonitor monitor = (DriftMonitor) parse(
                            replace(
                                    VALID,
                                    "    drift: {method: psi, threshold: 0.2}\n",
                                    """
                        min_samples: 200
                        for: 3
                        resolve_after: 4
                        grace: 30s
                        drift:
                          method: js
                          threshold: 0.1
                          features:
                            amount_sum_1h: {method: ks, threshold: 0.05}
                            txn_count_1h: {threshold: 0.3}
                    """))
                    .monitors()
                    .get(0);

            assertThat(monitor)
                    .isEqualTo(new DriftMonitor(
                            "user_txn",
                            Duration.ofMinutes(15),
                            200,
                            new DriftRule("js", 0.1),
                            Map.of(
                                    "amount_sum_1h", new DriftRule("ks", 0.05),
                                    "txn_count_1h", new DriftRule("js", 0.3)),
                            Duration.ofSeconds(30),
                            3,
                            4));
            assertThat(monitor.ruleFor("amount_sum_1h")).isEqualTo(new DriftRule("ks", 0.05));
        }

        @Test
        void aDriftMonitorNeedsAnExistingViewAWindowAndSaneNumbers() {
            String yaml = replace(
                    VALID,
                    "- view: user_txn",
                    "- view: user_tx",
                    "window: 15m",
                    "window: 15m\n    min_samples: 0\n    for: 0\n    resolve_after: 1.5");

            assertThat(problems(yaml))
                    .containsExactly(
                            "monitors[0].view: no view named \"user_tx\" (did you mean \"user_txn\"?)",
                            "monitors[0].min_samples: must be at least 1, was 0",
                            "monitors[0].for: must be at least 1, was 0",
                            "monitors[0].resolve_after: expected a whole number, got 1.5");
            assertProblems(
                    "window: 15m",
                    "window: 15m\n    min_samples: 99999999999999999999",
                    "monitors[0].min_samples: must be at most 9223372036854775807, was 99999999999999999999");
            assertProblems("    window: 15m\n", "", "monitors[0]: missing required key \"window\"");
        }

        @Test
        void theDriftMethodAndThresholdAreChecked() {
            assertProblems(
                    "method: psi, threshold: 0.2",
                    "method: hellinger, threshold: -1",
                    "monitors[0].drift.method: \"hellinger\" is not a drift method"
                            + " (allowed: psi, kl, js, wasserstein, ks, chi2)",
                    "monitors[0].drift.threshold: must be greater than 0, was -1");
        }

        @Test
        void overridesNameFeaturesOfTheView() {
            String yaml = replace(
                    VALID,
                    "drift: {method: psi, threshold: 0.2}",
                    "drift: {method: psi, threshold: 0.2, features: {amount_sum_1d: {threshold: 0.1}}}");

            assertThat(problems(yaml))
                    .containsExactly("monitors[0].drift.features.amount_sum_1d: view user_txn has no feature"
                            + " \"amount_sum_1d\" (did you mean \"amount_sum_1h\"?)");
        }

        @Test
        void anOverrideWithAnotherMethodNeedsItsOwnThreshold() {
            String yaml = replace(
                    VALID,
                    "drift: {method: psi, threshold: 0.2}",
                    "drift: {method: psi, threshold: 0.2, features: {amount_sum_1h: {method: wasserstein}}}");

            assertThat(problems(yaml))
                    .containsExactly("monitors[0].drift.features.amount_sum_1h: missing threshold: method wasserstein"
                            + " differs from the monitor's (psi), so its threshold cannot be inherited");
        }

        @Test
        void aViewHasAtMostOneDriftMonitor() {
            String monitor = VALID.substring(VALID.indexOf("  - view: user_txn"));

            assertThat(problems(VALID + monitor))
                    .containsExactly("monitors[1].view: view user_txn already has a drift monitor (at monitors[0])");
        }

        static final String BIAS =
                """
                  - model: fraud_v3
                    predictions: fraud_predictions
                    protected: [gender]
                """;

        @Test
        void aBiasMonitorHasDefaults() {
            BiasMonitor monitor = (BiasMonitor) parse(VALID + BIAS).monitors().get(1);

            assertThat(monitor)
                    .isEqualTo(new BiasMonitor(
                            "fraud_v3",
                            "fraud_predictions",
                            Optional.empty(),
                            List.of("gender"),
                            new BiasRule(0.8, 0.1),
                            Duration.ofHours(1),
                            Duration.ofMinutes(1),
                            Duration.ofHours(1),
                            100,
                            2,
                            2));
        }

        @Test
        void aBiasMonitorReadsEveryKey() {
            BiasMonitor monitor = (BiasMonitor) parse(
                            VALID + BIAS
                                    + """
                        labels: fraud_labels
                        bias: {disparate_impact_min: 0.9, parity_difference_max: 0.05}
                        window: 1d
                        grace: 5m
                        label_delay: 2d
                        min_group_size: 50
                        for: 1
                        resolve_after: 3
                    """)
                    .monitors()
                    .get(1);

            assertThat(monitor)
                    .isEqualTo(new BiasMonitor(
                            "fraud_v3",
                            "fraud_predictions",
                            Optional.of("fraud_labels"),
                            List.of("gender"),
                            new BiasRule(0.9, 0.05),
                            Duration.ofDays(1),
                            Duration.ofMinutes(5),
                            Duration.ofDays(2),
                            50,
                            1,
                            3));
        }

        @Test
        void biasThresholdsAreFractionsAndProtectedAttributesAreRequired() {
            String yaml = VALID
                    + replace(BIAS, "protected: [gender]", "protected: []")
                    + "    bias: {disparate_impact_min: 0, parity_difference_max: 1.5}\n"
                    + "    labels: fraud labels\n";

            assertThat(problems(yaml))
                    .containsExactly(
                            "monitors[1].protected: must not be empty",
                            "monitors[1].bias.disparate_impact_min: must be in (0, 1], was 0",
                            "monitors[1].bias.parity_difference_max: must be in (0, 1], was 1.5",
                            "monitors[1].labels: \"fraud labels\" is not a valid Kafka topic name"
                                    + " (use letters, digits, '.', '_' and '-', at most 249 characters)");
            assertThat(problems(VALID + replace(BIAS, "    predictions: fraud_predictions\n", "")))
                    .containsExactly("monitors[1]: missing required key \"predictions\"");
        }

        @Test
        void aMonitorIsEitherDriftOrBias() {
            assertThat(problems(VALID + "  - {view: user_txn, model: fraud_v3}\n  - {window: 1h}\n"))
                    .containsExactly(
                            "monitors[1]: has both view (a drift monitor) and model (a bias monitor);"
                                    + " declare them as two monitors",
                            "monitors[2]: a monitor needs either view (a drift monitor) or model (a bias monitor)");
        }
    }

    // ------------------------------------------------------------------------------------ all at once

    @Test
    void everyProblemIsReportedAtOnceInFileOrderWhateverTheOrderOfTheSections() {
        String viewsFirst = VALID.substring(VALID.indexOf("views:"), VALID.indexOf("monitors:"))
                + VALID.substring(0, VALID.indexOf("views:"));
        viewsFirst = replace(viewsFirst, "granularity: 1m", "granularity: 1hr");
        viewsFirst = replace(viewsFirst, "keys: [user_id]", "keys: [user_id, user_id]");
        viewsFirst = replace(viewsFirst, "format: avro", "format: avro2");

        assertThat(problems(viewsFirst))
                .containsExactly(
                        "views[0].granularity: \"1hr\" is not a duration"
                                + " (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)",
                        "entities[0].keys[1]: duplicate key column \"user_id\"",
                        "sources[0].format: \"avro2\" is not a format, did you mean \"avro\"?"
                                + " (allowed: json, avro, avro-registry)");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private FeatureDefinitions parse(String yaml) {
        return DefinitionsParser.parse(write(yaml));
    }

    private List<String> problems(String yaml) {
        Path file = write(yaml);
        try {
            DefinitionsParser.parse(file);
        } catch (InvalidDefinitionsException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in\n" + yaml);
    }

    private Path write(String yaml) {
        try {
            return Files.writeString(directory.resolve("fathom.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that {@link #VALID} with {@code from} replaced by {@code to} has exactly the {@code expected} problems. */
    private void assertProblems(String from, String to, String... expected) {
        assertThat(problems(replace(VALID, from, to))).containsExactly(expected);
    }

    /** Replaces text that must be there, so that a test never silently checks the valid file. */
    /** {@code yaml} with each {@code from} replaced by the {@code to} after it, in turn: pairs of from, to. */
    private static String replace(String yaml, String... fromTo) {
        for (int i = 0; i < fromTo.length; i += 2) {
            assertThat(yaml).contains(fromTo[i]);
            yaml = yaml.replace(fromTo[i], fromTo[i + 1]);
        }
        return yaml;
    }

    private static String schema(String fields) {
        return "{\"type\": \"record\", \"name\": \"Event\", \"namespace\": \"test\", \"fields\": [" + fields + "]}";
    }

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }

    private static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }

    /** A view of the example's transactions source, with granularity 1m, ttl 7d and allowed lateness 10m. */
    private static ViewDefinition transactionsView(String name, String entity, FeatureDefinition... features) {
        return new ViewDefinition(
                name,
                entity,
                "transactions",
                Duration.ofMinutes(1),
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                List.of(features));
    }

    private static ViewDefinition userTxn() {
        return transactionsView(
                "user_txn",
                "user",
                feature("txn_count_1h", Aggregation.COUNT, null, hours(1)),
                feature("amount_sum_1h", Aggregation.SUM, "amount", hours(1)),
                feature("amount_avg_1d", Aggregation.MEAN, "amount", hours(24)),
                feature("amount_max_1d", Aggregation.MAX, "amount", hours(24)),
                feature("amount_std_1d", Aggregation.STDDEV, "amount", hours(24)),
                feature("merchants_1d", Aggregation.COUNT_DISTINCT, "merchant", hours(24)),
                feature("last_country", Aggregation.LAST, "country", null));
    }

    private static ViewDefinition merchantTxn() {
        return transactionsView(
                "merchant_txn",
                "merchant",
                feature("txn_count_1h", Aggregation.COUNT, null, hours(1)),
                feature("amount_sum_1d", Aggregation.SUM, "amount", hours(24)),
                feature("amount_avg_1h", Aggregation.MEAN, "amount", hours(1)),
                feature("users_1d", Aggregation.COUNT_DISTINCT, "user_id", hours(24)));
    }
}
