/**
 * Bias: per-group counts of one window and the fairness metrics computed from them, judged against a
 * bias rule. Pure computation: no Kafka (checked by the build's enforcer).
 */
package io.fathom.monitor.bias;
