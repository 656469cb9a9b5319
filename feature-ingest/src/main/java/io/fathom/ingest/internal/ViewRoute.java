package io.fathom.ingest.internal;

import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.ViewDefinition;

/**
 * Where the decode stage sends a view's events: straight to the view's aggregation node when the
 * event already sits in its entity's home partition, else to the sink of the view's re-keyed topic.
 */
record ViewRoute(ViewDefinition view, EntityDefinition entity, String aggregateNode, String rekeyNode) {}
