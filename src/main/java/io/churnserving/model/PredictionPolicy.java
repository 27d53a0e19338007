package io.churnserving.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Turns a probability into a {@link Prediction} with the thresholds and texts of the model's metadata. */
public final class PredictionPolicy {
  // Fixed millisecond precision: Instant.toString drops zero fractions, which some clients parse badly.
  private static final DateTimeFormatter UTC_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String version;
  private final double churnThreshold;
  private final double medium;
  private final double high;
  private final String lowText;
  private final String mediumText;
  private final String highText;

  PredictionPolicy(ModelMetadata metadata) {
    this.version = metadata.version();
    this.churnThreshold = metadata.thresholds().churnPrediction();
    this.medium = metadata.thresholds().riskTiers().medium();
    this.high = metadata.thresholds().riskTiers().high();
    this.lowText = metadata.recommendations().get("low");
    this.mediumText = metadata.recommendations().get("medium");
    this.highText = metadata.recommendations().get("high");
  }

  /** The UTC time stamp written into predictions made now. */
  public static String timestamp(Instant at) {
    return UTC_MILLIS.format(at);
  }

  /** The answer for one probability, stamped with {@code predictedAt}. */
  public Prediction describe(float probability, String predictedAt) {
    String tier;
    String text;
    if (probability >= high) {
      tier = "high";
      text = highText;
    } else if (probability >= medium) {
      tier = "medium";
      text = mediumText;
    } else {
      tier = "low";
      text = lowText;
    }
    return new Prediction(probability, probability >= churnThreshold, tier, version, predictedAt, text);
  }
}
