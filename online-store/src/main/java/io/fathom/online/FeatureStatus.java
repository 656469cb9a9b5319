package io.fathom.online;

/** What a read found for one feature of one entity. */
public enum FeatureStatus {
    /** The entity has a live snapshot; the value is the feature evaluated at read time (it may still be null, e.g. a mean over an empty window). */
    PRESENT,
    /** The store holds nothing for the entity (never seen, or purged after its ttl): the value is null. */
    NOT_FOUND,
    /** The entity's last event is older than the view's ttl: the value is null. */
    EXPIRED
}
