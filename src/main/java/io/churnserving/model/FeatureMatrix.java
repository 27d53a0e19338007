package io.churnserving.model;

/** A row-major float matrix handed to the ONNX model. */
record FeatureMatrix(float[] values, int rows, int columns) {
}
