/**
 * The event-bus transport: {@code churn.predict}, request/reply for other verticles and services. The instance as
 * JSON in (or an envelope naming the model and version beside it), the prediction as JSON out; a refusal is a
 * failure reply whose code is the HTTP status (422 with the field errors, 404 for a version not served, 503 when no
 * worker can score) and whose message is the problem as JSON.
 */
package io.churnserving.bus;
