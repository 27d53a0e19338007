/**
 * The Open Inference Protocol's gRPC transport ({@code inference.GRPCInferenceService}), served on the HTTP port
 * beside the REST router: a request that is a gRPC call (HTTP/2 POST, {@code application/grpc}) goes to Vert.x's
 * gRPC server, every other request to the router as before. Messages come from {@code src/main/proto}, generated at
 * build time; the server itself uses vertx-grpc-server only, not grpc-java.
 */
package io.churnserving.grpc;
