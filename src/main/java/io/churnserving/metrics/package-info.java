/**
 * What operators watch: the server's own Micrometer meters (predictions, rejections, batch size, queue wait,
 * inference time, in-flight rows, circuit state, model load time) and the vital signs health checks read (last
 * prediction, recent server errors). Depends on Micrometer only; every other package reports into it.
 */
package io.churnserving.metrics;
