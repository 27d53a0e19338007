/**
 * The model: its metadata (feature order, output meaning, thresholds), loading through DJL's ONNX Runtime engine,
 * feature encoding and per-thread scoring. With {@code scoring}, the only package that imports DJL; it knows
 * nothing of transports.
 */
package io.churnserving.model;
