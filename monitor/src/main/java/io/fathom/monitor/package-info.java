/**
 * Drift and bias monitoring, wired to Kafka: the topology, the service that runs it, their
 * configuration, topics, serdes, listeners and metrics. The computation lives in {@code drift},
 * {@code bias} and {@code alert}; the Kafka processors in {@code internal}.
 */
package io.fathom.monitor;
