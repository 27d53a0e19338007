/**
 * The composition root: {@link io.churnserving.app.Main} builds Vert.x and deploys
 * {@link io.churnserving.app.MainVerticle}, which reads the configuration once, loads the model, and deploys the
 * scoring workers and the transports with what they need. Nothing else in the server builds its own dependencies.
 */
package io.churnserving.app;
