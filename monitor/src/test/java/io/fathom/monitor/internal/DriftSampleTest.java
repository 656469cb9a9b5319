package io.fathom.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.FeatureValues;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class DriftSampleTest {
    private final Serde<DriftSample> serde = DriftSample.serde();

    @Test
    void roundTripsTheEventTimeAndTheValuesThroughTheRepartitionSerde() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("amount_mean_1h", 12.5);
        values.put("txn_count_1h", 3L);
        values.put("last_country", "FR");
        values.put("missing", null);
        DriftSample sample = new DriftSample(-1L, FeatureValues.of(values));

        byte[] bytes = serde.serializer().serialize("t", sample);
        DriftSample read = serde.deserializer().deserialize("t", bytes);

        assertThat(read).isEqualTo(sample);
        assertThat(read.values().toMap()).containsExactlyEntriesOf(values);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void unreadableBytesAreASerializationExceptionNamingTheTopic() {
        byte[] bytes = serde.serializer().serialize("t", new DriftSample(7L, FeatureValues.of(Map.of("x", 1L))));

        assertThatThrownBy(() -> serde.deserializer().deserialize("repartition", new byte[] {1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("a drift sample on repartition has 2 bytes, fewer than its event time");
        assertThatThrownBy(
                        () -> serde.deserializer().deserialize("repartition", Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("a drift sample on repartition is not readable: truncated feature values");
    }
}
