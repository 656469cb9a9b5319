/**
 * Decoding a source's events into their top-level fields, normalised to Long, Double, String, Boolean or
 * null: the one decoding that ingest (from Kafka) and the event history (from the archive) share, so an
 * event means the same in both. {@link io.fathom.core.decode.EventDecoders#forSource} picks the decoder
 * for a source's format; {@link io.fathom.core.decode.AvroFields} normalises a decoded Avro record.
 */
package io.fathom.core.decode;
