package io.churnserving.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.churnserving.model.Prediction;
import io.vertx.core.buffer.Buffer;

/** Encodes answers (predictions, problems, envelopes) the same way for every transport. */
public final class AnswerJson {
  // Immutable and thread-safe once built. Jackson's fast float writer (Schubfach) instead of Float.toString, the
  // largest single cost of batch answers.
  private static final ObjectWriter WRITER = JsonMapper.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .addModule(new SimpleModule().addSerializer(Prediction.class, new PredictionSerializer()))
      .build().writer();
  // The hot path's type, resolved once instead of on every answer.
  private static final ObjectWriter PREDICTION = WRITER.forType(Prediction.class);

  private AnswerJson() {
  }

  /** The JSON text of an answer, for text frames. */
  public static String text(Object answer) {
    try {
      return WRITER.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer types are plain records", e);
    }
  }

  /** The JSON bytes of an answer; answer types are plain records and maps, so this does not fail. */
  public static Buffer encode(Object answer) {
    try {
      return Buffer.buffer((answer instanceof Prediction ? PREDICTION : WRITER).writeValueAsBytes(answer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer types are plain records", e);
    }
  }
}
