/**
 * Alerts: an alert's stable key, its state, and the state machine that turns a run of verdicts into
 * firing and resolved transitions. Pure computation: no Kafka (checked by the build's enforcer).
 */
package io.fathom.monitor.alert;
