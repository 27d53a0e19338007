package io.churnserving.errors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.churnserving.model.Prediction;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a {@link Prediction} as its record serializer would, field for field, but with every name and every
 * repeated value (tier, version, recommendation: a handful of strings) pre-encoded once. A batch answer writes a
 * thousand of them, and per-character escaping of the same strings was most of its cost.
 */
final class PredictionSerializer extends StdSerializer<Prediction> {
  private static final SerializedString PROBABILITY = new SerializedString("churn_probability");
  private static final SerializedString PREDICTION = new SerializedString("churn_prediction");
  private static final SerializedString TIER = new SerializedString("risk_tier");
  private static final SerializedString VERSION = new SerializedString("model_version");
  private static final SerializedString AT = new SerializedString("predicted_at");
  private static final SerializedString RECOMMENDATION = new SerializedString("recommendation");
  /** More distinct values than this would mean the values are not a handful; then they are written plainly. */
  private static final int MAX_CACHED = 256;

  private final Map<String, SerializableString> encoded = new ConcurrentHashMap<>();
  /**
   * The last timestamp written, encoded: every row of a model call shares one timestamp string, so a batch
   * answer encodes it once per call rather than once per row. Compared by identity; a miss just replaces it.
   */
  private volatile Encoded lastAt = new Encoded("", new SerializedString(""));

  private record Encoded(String value, SerializableString encoded) {
  }

  PredictionSerializer() {
    super(Prediction.class);
  }

  @Override
  public void serialize(Prediction p, JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(PROBABILITY);
    gen.writeNumber(p.churnProbability());
    gen.writeFieldName(PREDICTION);
    gen.writeBoolean(p.churnPrediction());
    gen.writeFieldName(TIER);
    writeRepeated(gen, p.riskTier());
    gen.writeFieldName(VERSION);
    writeRepeated(gen, p.modelVersion());
    gen.writeFieldName(AT);
    writeTimestamp(gen, p.predictedAt());
    gen.writeFieldName(RECOMMENDATION);
    writeRepeated(gen, p.recommendation());
    gen.writeEndObject();
  }

  private void writeTimestamp(JsonGenerator gen, String at) throws IOException {
    if (at == null) {
      gen.writeNull();
      return;
    }
    Encoded last = lastAt;
    if (last.value() != at) {
      last = new Encoded(at, new SerializedString(at));
      lastAt = last;
    }
    gen.writeString(last.encoded());
  }

  private void writeRepeated(JsonGenerator gen, String value) throws IOException {
    if (value == null) {
      gen.writeNull();
      return;
    }
    SerializableString cached = encoded.get(value);
    if (cached == null && encoded.size() < MAX_CACHED) {
      cached = encoded.computeIfAbsent(value, SerializedString::new);
    }
    if (cached != null) {
      gen.writeString(cached);
    } else {
      gen.writeString(value);
    }
  }
}
