package io.fathom.app.http;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/features/online}: features as {@code view:feature}, and the entity key
 * columns, each a list of values (several columns make composite keys; all the same length).
 */
public record OnlineRequest(List<String> features, Map<String, List<Object>> entities) {}
