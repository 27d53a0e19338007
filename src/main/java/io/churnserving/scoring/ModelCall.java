package io.churnserving.scoring;

/**
 * One model call as a scoring worker makes it: an encoded row-major input matrix in, the model's row-major output
 * matrix out. The server uses the worker's own {@code ModelScorer}; tests wrap it to inject faults (throw, stall),
 * never to replace it.
 */
@FunctionalInterface
public interface ModelCall {
  /**
   * @param features row-major {@code rows x columns}; the call must not write to it
   * @param rows     number of rows
   * @return row-major {@code rows x outputColumns}
   */
  float[] score(float[] features, int rows) throws Exception;
}
