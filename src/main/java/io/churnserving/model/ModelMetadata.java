package io.churnserving.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The model's {@code metadata.json}: what it is, how requests become its input columns, what its output means, and
 * the thresholds and texts that turn a probability into an answer. Shipped beside {@code model.onnx}, because the
 * column order is the trainer's (Tribuo sorts columns by name) and cannot be guessed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(String name, String version, String description, String file, Input input, Output output,
                            Thresholds thresholds, Map<String, String> recommendations, JsonNode training) {

  /** The input tensor and its columns, in tensor order. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Input(String tensor, List<Column> columns) {
  }

  /**
   * One input column: one-hot when {@code equals} is set (1 when the field equals it), otherwise numeric,
   * standardised as {@code (value - mean) / std}.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Column(String name, String field, String equals, Double mean, Double std) {
    public boolean oneHot() {
      return equals != null;
    }
  }

  /** The output tensor: one probability column per label. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Output(String tensor, List<String> labels, @JsonProperty("positive_label") String positiveLabel,
                       String meaning) {
  }

  /** Decision thresholds on the churn probability. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Thresholds(@JsonProperty("churn_prediction") double churnPrediction,
                           @JsonProperty("risk_tiers") RiskTiers riskTiers) {
  }

  /** Lower bounds of the medium and high tiers; below medium is low. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RiskTiers(double medium, double high) {
  }
}
