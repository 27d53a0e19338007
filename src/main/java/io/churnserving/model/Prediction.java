package io.churnserving.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One answer, exactly as clients receive it.
 *
 * @param churnProbability probability of churn from the model
 * @param churnPrediction  probability at or above the model's threshold
 * @param riskTier         low, medium or high
 * @param modelVersion     version of the model that scored
 * @param predictedAt      UTC ISO-8601 time of scoring, millisecond precision
 * @param recommendation   the action for the tier
 */
public record Prediction(@JsonProperty("churn_probability") float churnProbability,
                         @JsonProperty("churn_prediction") boolean churnPrediction,
                         @JsonProperty("risk_tier") String riskTier,
                         @JsonProperty("model_version") String modelVersion,
                         @JsonProperty("predicted_at") String predictedAt,
                         @JsonProperty("recommendation") String recommendation) {
}
