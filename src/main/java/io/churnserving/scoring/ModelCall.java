package io.churnserving.scoring;

import io.churnserving.model.FeatureRow;
import io.churnserving.model.Prediction;
import java.util.List;

/**
 * One model call as a scoring worker makes it: rows in, one prediction per row out, in order. The server uses the
 * worker's own {@code ModelScorer}; tests wrap it to inject faults (throw, stall), never to replace it.
 */
@FunctionalInterface
public interface ModelCall {
  List<Prediction> score(List<? extends FeatureRow> rows, String predictedAt) throws Exception;
}
