package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamAnswerTest {
  @Test
  void aPredictionToOneOfOurIdsIsReadWithoutParsing() {
    assertThat(StreamAnswer.read("{\"id\":\"17\",\"prediction\":{\"churn_probability\":0.25,\"will_churn\":false}}"))
        .isEqualTo(new StreamAnswer(17, 200));
  }

  @Test
  void anErrorCarriesTheProblemsStatus() {
    assertThat(StreamAnswer.read("{\"id\":\"3\",\"error\":{\"type\":\"about:blank\",\"title\":\"Unprocessable\","
        + "\"status\":422,\"detail\":\"bad\"}}")).isEqualTo(new StreamAnswer(3, 422));
    assertThat(StreamAnswer.read("{\"id\":\"4\",\"error\":{\"status\":503}}")).isEqualTo(new StreamAnswer(4, 503));
  }

  @Test
  void otherShapesAreParsedInFull() {
    assertThat(StreamAnswer.read("{\"prediction\":{},\"id\":\"9\"}")).isEqualTo(new StreamAnswer(9, 200));
    assertThat(StreamAnswer.read("{\"id\": 12, \"prediction\": {}}")).isEqualTo(new StreamAnswer(12, 200));
    assertThat(StreamAnswer.read("{ \"id\" : \"5\" , \"prediction\" : {}}")).isEqualTo(new StreamAnswer(5, 200));
  }

  @Test
  void answersWithoutAnIdOfOursAreMarked() {
    assertThat(StreamAnswer.read("{\"id\":null,\"error\":{\"status\":400}}").id()).isEqualTo(StreamAnswer.NO_ID);
    assertThat(StreamAnswer.read("{\"id\":\"abc\",\"prediction\":{}}").id()).isEqualTo(StreamAnswer.NO_ID);
    assertThat(StreamAnswer.read("{\"id\":\"-1\",\"prediction\":{}}").id()).isEqualTo(StreamAnswer.NO_ID);
    assertThat(StreamAnswer.read("not json")).isEqualTo(new StreamAnswer(StreamAnswer.NO_ID, 0));
    assertThat(StreamAnswer.read("[1]")).isEqualTo(new StreamAnswer(StreamAnswer.NO_ID, 0));
    assertThat(StreamAnswer.read("{\"id\":\"8\"}")).isEqualTo(new StreamAnswer(8, 0));
  }

  @Test
  void aBurstFrameYieldsEachAnswer() {
    java.util.List<StreamAnswer> seen = new java.util.ArrayList<>();
    StreamAnswer.readAll("[{\"id\":\"1\",\"prediction\":{\"p\":0.5}},{\"id\":\"2\",\"prediction\":{}}]", seen::add);
    assertThat(seen).containsExactly(new StreamAnswer(1, 200), new StreamAnswer(2, 200));
    seen.clear();
    StreamAnswer.readAll("[{\"id\":\"7\",\"error\":{\"status\":429}},{\"id\":\"8\",\"prediction\":{}}]", seen::add);
    assertThat(seen).containsExactly(new StreamAnswer(7, 429), new StreamAnswer(8, 200));
    seen.clear();
    StreamAnswer.readAll("{\"id\":\"3\",\"prediction\":{}}", seen::add);
    assertThat(seen).containsExactly(new StreamAnswer(3, 200));
  }
}
