package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fathom.online.EntityResult;
import io.fathom.online.FeatureStatus;
import io.fathom.online.OnlineResult;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streamed online answer is byte for byte what {@code ctx.json} sent: the mapper's String, as UTF-8. */
class OnlineResultJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final OnlineResultJson writer = new OnlineResultJson(mapper);

    @Test
    void writesWhatDatabindWritesForEveryKindOfValue() throws Exception {
        Map<String, Object> composite = new LinkedHashMap<>();
        composite.put("user_id", 7);
        composite.put("country", "F\"R\\\u00e9\u2603\n");
        List<Object> values = Arrays.asList(
                3L,
                0L,
                -1L,
                Long.MIN_VALUE,
                15.0,
                0.1 + 0.2,
                1e-7,
                1e22,
                -0.0,
                Double.MAX_VALUE,
                Double.MIN_VALUE,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                "DE",
                "",
                "quote \" backslash \\ tab \t control \u0001 emoji \ud83d\ude00",
                true,
                false,
                null,
                7,
                new BigDecimal("1.50"));
        int n = values.size();
        List<FeatureStatus> statuses = new ArrayList<>();
        List<Long> eventTimes = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(FeatureStatus.values()[i % FeatureStatus.values().length]);
            eventTimes.add(i % 3 == 1 ? null : 1_764_000_000_000L + i);
            features.add("view_" + i + ":feature \"" + i + "\"");
        }
        OnlineResult result = new OnlineResult(
                features,
                List.of(
                        new EntityResult(composite, values, statuses, eventTimes),
                        new EntityResult(
                                Map.of("user_id", 9L),
                                Arrays.asList(new Object[n]),
                                List.of(statuses.toArray(FeatureStatus[]::new)),
                                Arrays.asList(new Long[n]))),
                1_764_000_000_123L);

        assertSameJson(result);
    }

    @Test
    void writesWhatDatabindWritesForRandomAnswers() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int width = 1 + random.nextInt(60);
            List<String> features = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                features.add("v:f" + i);
            }
            List<EntityResult> rows = new ArrayList<>();
            for (int row = random.nextInt(5); row >= 0; row--) {
                List<Object> values = new ArrayList<>();
                List<FeatureStatus> statuses = new ArrayList<>();
                List<Long> eventTimes = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    values.add(
                            switch (random.nextInt(5)) {
                                case 0 -> random.nextLong();
                                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                                case 2 -> Double.longBitsToDouble(random.nextLong());
                                case 3 -> "s" + random.nextInt();
                                default -> null;
                            });
                    statuses.add(FeatureStatus.values()[random.nextInt(3)]);
                    eventTimes.add(random.nextBoolean() ? null : random.nextLong());
                }
                rows.add(new EntityResult(Map.of("id", random.nextInt()), values, statuses, eventTimes));
            }
            assertSameJson(new OnlineResult(features, rows, random.nextLong()));
        }
    }

    @Test
    void writesWhatDatabindWritesForRowsOfOneStatusAndOneEventTime() throws Exception {
        for (int width : List.of(0, 1, 2, 50, 256, 257, 300)) {
            List<String> features = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                features.add("v:f" + i);
                values.add(i % 2 == 0 ? (Object) (long) i : i / 3.0);
            }
            List<EntityResult> rows = new ArrayList<>();
            for (FeatureStatus status : FeatureStatus.values()) {
                rows.add(new EntityResult(
                        Map.of("id", 1),
                        values,
                        Collections.nCopies(width, status),
                        Collections.nCopies(width, status == FeatureStatus.NOT_FOUND ? null : -5L)));
                List<Long> distinctTimes = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    distinctTimes.add(Long.valueOf(1_764_000_000_000L)); // equal, not the same object
                }
                rows.add(new EntityResult(Map.of("id", 2), values, Collections.nCopies(width, status), distinctTimes));
            }
            // twice: the second time from the cached status arrays
            assertSameJson(new OnlineResult(features, rows, 1L));
            assertSameJson(new OnlineResult(features, rows, 1L));
        }
    }

    @Test
    void writesWhatDatabindWritesForDoublesRepeatedWithinAndAcrossRows() throws Exception {
        // Each double's text is formatted once per answer and reused: a few values repeated (as nested windows
        // of one aggregation repeat them), beside thousands of distinct ones that share and take table slots.
        List<Object> few = List.of(0.0, -0.0, 0.1 + 0.2, 1e-7, 1e22, Double.MIN_VALUE, 12.0, 1265.9299999999998);
        Random random = new Random(5);
        int width = 50;
        List<String> features = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            features.add("v:f" + i);
        }
        List<EntityResult> rows = new ArrayList<>();
        for (int row = 0; row < 200; row++) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                values.add(
                        random.nextBoolean()
                                ? few.get(random.nextInt(few.size()))
                                : random.nextInt(50_000) / 100.0 + random.nextInt(3));
            }
            rows.add(new EntityResult(
                    Map.of("id", row),
                    values,
                    Collections.nCopies(width, FeatureStatus.PRESENT),
                    Collections.nCopies(width, 1_764_000_000_000L)));
        }
        OnlineResult result = new OnlineResult(features, rows, 1L);

        assertSameJson(result);
        assertSameJson(mapper, writer, result); // again: nothing is carried from one answer to the next
    }

    @Test
    void writesNumbersAsStringsWhenTheMapperDoes() throws Exception {
        ObjectMapper quoting = JsonMapper.builder()
                .enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
                .build();
        OnlineResult result = new OnlineResult(
                List.of("v:a", "v:b", "v:c"),
                List.of(new EntityResult(
                        Map.of("id", 1),
                        Arrays.asList(2.5, 2.5, 7L),
                        Collections.nCopies(3, FeatureStatus.PRESENT),
                        Collections.nCopies(3, 1L))),
                1L);

        assertSameJson(quoting, new OnlineResultJson(quoting), result);
        assertThat(quoting.writeValueAsString(result)).contains("\"values\":[\"2.5\",\"2.5\",\"7\"]");
    }

    @Test
    void neitherFlushesNorClosesTheStream() throws Exception {
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                calls.add("flush");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        OnlineResult result = new OnlineResult(
                List.of("v:a"),
                List.of(new EntityResult(Map.of("id", 1), List.of(2.5), List.of(FeatureStatus.PRESENT), List.of(1L))),
                1L);

        writer.write(result, out);

        assertThat(calls).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(mapper.writeValueAsString(result));
    }

    private void assertSameJson(OnlineResult result) throws Exception {
        assertSameJson(mapper, writer, result);
    }

    private static void assertSameJson(ObjectMapper mapper, OnlineResultJson writer, OnlineResult result)
            throws Exception {
        String expected = mapper.writeValueAsString(result);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(result, out);
        byte[] written = out.toByteArray();
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(written).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }
}
