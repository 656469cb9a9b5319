package io.fathom.ingest.internal;

import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.ViewDefinition;

/** Where the decode stage sends a view's events: the view, its entity, and the child node to forward to. */
record ViewRoute(ViewDefinition view, EntityDefinition entity, String childNode) {}
