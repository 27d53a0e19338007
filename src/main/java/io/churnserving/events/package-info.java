/**
 * Prediction events: every transport publishes what it predicted on {@code churn.predictions} (sampled by config),
 * and the drift monitor, a real subscriber, keeps the distribution of churn probability and the count per risk tier
 * over a sliding window. Depends on {@code model} and {@code validation}; no transport.
 */
package io.churnserving.events;
