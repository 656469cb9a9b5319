/** Drift and bias monitoring: baselines, live windows, statistics, alert state. */
package io.fathom.monitor;
