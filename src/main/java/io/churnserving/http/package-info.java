/**
 * The HTTP transport: one route table ({@link io.churnserving.http.Routes}), one small handler per concern, and one
 * failure handler that renders every problem. The only package besides other transports that imports vertx-web.
 */
package io.churnserving.http;
