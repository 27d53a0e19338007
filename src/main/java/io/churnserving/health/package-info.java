/**
 * The checks of {@code GET /health}, run by vertx-health-check, and the one rule that turns them into healthy,
 * degraded or unhealthy.
 */
package io.churnserving.health;
