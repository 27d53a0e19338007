package io.churnserving.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.churnserving.model.Prediction;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-tuned prediction writer writes what the record's plain serialization writes, in the same order. */
class AnswerJsonTest {
  @Test
  void predictionsAreWrittenAsTheRecordSerializerWritesThem() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    for (Prediction p : List.of(
        new Prediction(0.5702238f, true, "medium", "1", "2026-11-23T05:10:20.406Z", "Proactive check-in call"),
        new Prediction(0.0026505662f, false, "low", "1", "2026-11-23T05:10:20.406Z", "Quote \" and \\ and é"),
        new Prediction(1f, true, "high", "2", "2026-11-23T05:10:20.406Z", null))) {
      String ours = AnswerJson.text(p);
      String theirs = plain.writeValueAsString(p);
      assertThat(new JsonObject(ours)).isEqualTo(new JsonObject(theirs));
      assertThat(new JsonObject(ours).fieldNames()).containsExactlyElementsOf(new JsonObject(theirs).fieldNames());
    }
  }
}
