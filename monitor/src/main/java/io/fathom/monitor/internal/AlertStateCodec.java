package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorException;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.alert.AlertState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** A compact binary form of {@link AlertState} for a state store. */
public final class AlertStateCodec {
    private static final byte FORMAT = 1;

    private AlertStateCodec() {}

    public static byte[] toBytes(AlertState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(state.key().kind());
            out.writeUTF(state.key().scope());
            out.writeUTF(state.key().subject());
            out.writeUTF(state.key().method());
            out.writeByte(state.status().ordinal());
            out.writeInt(state.breaches());
            out.writeInt(state.clean());
            out.writeBoolean(state.since().isPresent());
            if (state.since().isPresent()) {
                out.writeLong(state.since().get().getEpochSecond());
                out.writeInt(state.since().get().getNano());
            }
            out.writeDouble(state.lastValue());
        } catch (IOException e) {
            throw new MonitorException("cannot write the alert state of " + state.key(), e);
        }
        return bytes.toByteArray();
    }

    public static AlertState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new MonitorException("unknown alert state format " + format);
            }
            AlertKey key = new AlertKey(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            AlertState.Status status = AlertState.Status.values()[in.readByte()];
            int breaches = in.readInt();
            int clean = in.readInt();
            Optional<Instant> since = in.readBoolean()
                    ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt()))
                    : Optional.empty();
            return new AlertState(key, status, breaches, clean, since, in.readDouble());
        } catch (IOException | RuntimeException e) {
            if (e instanceof MonitorException m) {
                throw m;
            }
            throw new MonitorException("cannot read a stored alert state of " + bytes.length + " bytes", e);
        }
    }
}
