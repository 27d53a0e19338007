/**
 * Scoring: worker verticles that own a model predictor each, the event-bus messages that reach them, the client
 * transports use to ask for scores (through the micro-batcher), and the typed failures of scoring. Depends on
 * {@code model} and {@code batching}; knows nothing of HTTP.
 */
package io.churnserving.scoring;
