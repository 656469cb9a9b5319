package io.fathom.core.decode;

import java.util.Map;

/**
 * Turns the bytes of one event into its top-level fields, normalised to Long, Double, String, Boolean
 * or null. Throws {@link io.fathom.core.InvalidEventException} with reason UNDECODABLE when the bytes
 * are not an event of the source's format.
 */
public interface EventDecoder {
    Map<String, Object> decode(byte[] value);
}
