/**
 * The Open Inference Protocol (KServe v2) over any transport: server and model metadata, readiness, and inference
 * requests read into the served version's instances and its predictions written back as output tensors. No HTTP
 * here, so that the REST handlers and a gRPC service adapt the same core; failures are the typed ones the rest of
 * the server raises ({@link io.churnserving.errors.ClientProblem} for a request the protocol cannot read).
 */
package io.churnserving.oip;
