/**
 * Drift: baselines and their bins, live windows, the drift statistics (PSI, KL, JS, chi-square,
 * Kolmogorov-Smirnov, Wasserstein) and the report of one window against its rule. Pure computation:
 * no Kafka (checked by the build's enforcer).
 */
package io.fathom.monitor.drift;
