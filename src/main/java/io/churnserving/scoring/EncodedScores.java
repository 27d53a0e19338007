package io.churnserving.scoring;

import io.churnserving.model.Prediction;
import java.util.List;

/**
 * What {@link Scorer#scoreEncoded} gives back: the model's own outputs and the answers the version makes of them.
 *
 * @param outputs       row-major {@code rows x outputColumns}, one probability column per label, in label order
 * @param outputColumns columns per row
 * @param predictions   the answer of each row, in order
 */
public record EncodedScores(float[] outputs, int outputColumns, List<Prediction> predictions) {
}
