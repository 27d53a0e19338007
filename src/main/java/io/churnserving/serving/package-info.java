/**
 * What the server serves: every model version that is loaded, each with its own scoring stack (micro-batchers,
 * backlog, circuit breaker, workers on its own event-bus address, meters labelled {@code model} and {@code version}),
 * and which version a route that names no version gets. Transports look versions up here and never hold a model.
 * Above {@code repository} and {@code scoring}, below the transports.
 */
package io.churnserving.serving;
