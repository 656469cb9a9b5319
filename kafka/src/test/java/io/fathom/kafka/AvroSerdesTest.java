package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertKind;
import io.fathom.schemas.avro.AlertStatus;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {
    private static final AlertEvent EVENT = AlertEvent.newBuilder()
            .setFingerprint("00000000000a1e7")
            .setStatus(AlertStatus.firing)
            .setKind(AlertKind.drift)
            .setLabels(Map.of("alertname", "FeatureDrift"))
            .setAnnotations(Map.of())
            .setStartsAt(1_793_613_600_000L)
            .setEndsAt(null)
            .setValue(0.3)
            .setThreshold(0.2)
            .build();

    @Test
    void writesPlainAvroBinaryAndReadsItBack() {
        Serde<AlertEvent> serde = AvroSerdes.of(AlertEvent.getClassSchema());

        byte[] bytes = serde.serializer().serialize("fathom.alerts", EVENT);

        assertThat(bytes)
                .isEqualTo(AvroCodec.<AlertEvent>of(AlertEvent.getClassSchema()).encode(EVENT));
        assertThat(serde.deserializer().deserialize("fathom.alerts", bytes)).isEqualTo(EVENT);
    }

    @Test
    void nullStaysNull() {
        Serde<AlertEvent> serde = AvroSerdes.of(AlertEvent.getClassSchema());

        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void badBytesAreAnErrorNamingTheType() {
        Serde<AlertEvent> serde = AvroSerdes.of(AlertEvent.getClassSchema());

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {(byte) 0xff}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AlertEvent");
    }
}
