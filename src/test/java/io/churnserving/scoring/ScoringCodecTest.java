package io.churnserving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The scoring messages' wire form: every field survives the trip, and a damaged message fails at once. */
class ScoringCodecTest {
  private final ScoreBatchCodec batches = new ScoreBatchCodec();
  private final ScoreResultCodec results = new ScoreResultCodec();

  private static ScoreBatch batch() {
    return new ScoreBatch("churn", "1", new float[] {0.5f, -1.25f, 1f, Float.MIN_VALUE, 0f, 3.5e7f}, 2,
        new String[] {"req-1", "", "ünïcødé-é-🚀"}, new long[] {1_000_000_000L, 0, -5}, 123L);
  }

  @Test
  void aBatchCrossesTheWireWholeAndItsSendTimeBecomesTheReadersOwn() {
    ScoreBatch sent = batch();
    Buffer wire = Buffer.buffer("prefix");
    batches.encodeToWire(wire, sent);
    long before = System.nanoTime();
    ScoreBatch got = batches.decodeFromWire(6, wire);
    long after = System.nanoTime();
    assertThat(got.model()).isEqualTo("churn");
    assertThat(got.version()).isEqualTo("1");
    assertThat(got.columns()).isEqualTo(2);
    assertThat(got.features()).containsExactly(sent.features());
    assertThat(got.correlationIds()).containsExactly(sent.correlationIds());
    assertThat(got.timeLeftNanos()).containsExactly(sent.timeLeftNanos());
    assertThat(got.sentNanos()).as("the decoder's own nanoTime, not the sender's").isBetween(before, after);
    assertThat(got.deadline(0)).isEqualTo(got.sentNanos() + 1_000_000_000L);
  }

  @Test
  void anEmptyBatchAndNullNamesCrossTheWire() {
    Buffer wire = Buffer.buffer();
    batches.encodeToWire(wire, new ScoreBatch(null, null, new float[0], 9, new String[0], new long[0], 1));
    ScoreBatch got = batches.decodeFromWire(0, wire);
    assertThat(got.rows()).isZero();
    assertThat(got.columns()).isEqualTo(9);
    assertThat(got.model()).isNull();
    assertThat(got.version()).isNull();
  }

  @Test
  void aResultCrossesTheWireWhole() {
    ScoreResult sent = new ScoreResult(new float[] {0.25f, 0.75f, 0, 0, 0, 0}, 2,
        new byte[] {RowCode.OK.value(), RowCode.EXPIRED.value(), RowCode.FAILED.value()}, true, 4242L);
    Buffer wire = Buffer.buffer();
    results.encodeToWire(wire, sent);
    ScoreResult got = results.decodeFromWire(0, wire);
    assertThat(got.outputs()).containsExactly(sent.outputs());
    assertThat(got.outputColumns()).isEqualTo(2);
    assertThat(got.codes()).containsExactly(sent.codes());
    assertThat(got.code(1)).isEqualTo(RowCode.EXPIRED);
    assertThat(got.modelFailed()).isTrue();
    assertThat(got.workNanos()).isEqualTo(4242L);
  }

  @Test
  void locallyBothPassByReference() {
    ScoreBatch b = batch();
    assertThat(batches.transform(b)).isSameAs(b);
    ScoreResult r = new ScoreResult(new float[0], 2, new byte[0], false, 0);
    assertThat(results.transform(r)).isSameAs(r);
  }

  @Test
  void everyTruncationOfABatchFailsWithAClearError() {
    Buffer wire = Buffer.buffer();
    batches.encodeToWire(wire, batch());
    for (int cut = 0; cut < wire.length(); cut++) {
      Buffer shorter = wire.getBuffer(0, cut);
      assertThatThrownBy(() -> batches.decodeFromWire(0, shorter)).as("cut at %d", cut)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ScoreBatch on the wire");
    }
  }

  @Test
  void everyTruncationOfAResultFailsWithAClearError() {
    Buffer wire = Buffer.buffer();
    results.encodeToWire(wire, new ScoreResult(new float[] {0.1f, 0.9f}, 2, new byte[] {0}, false, 7));
    for (int cut = 0; cut < wire.length(); cut++) {
      Buffer shorter = wire.getBuffer(0, cut);
      assertThatThrownBy(() -> results.decodeFromWire(0, shorter)).as("cut at %d", cut)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ScoreResult on the wire");
    }
  }

  @Test
  void hugeOrNegativeLengthsFailBeforeAnythingIsAllocated() {
    // rows x columns claims 8 GB of floats in a 14-byte message.
    Buffer huge = Buffer.buffer().appendByte(ScoreBatchCodec.FORMAT).appendInt(-1).appendInt(-1)
        .appendInt(Integer.MAX_VALUE).appendInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> batches.decodeFromWire(0, huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("features");
    Buffer longName = Buffer.buffer().appendByte(ScoreBatchCodec.FORMAT).appendInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> batches.decodeFromWire(0, longName)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model");
    Buffer negative = Buffer.buffer().appendByte(ScoreBatchCodec.FORMAT).appendInt(-1).appendInt(-1)
        .appendInt(3).appendInt(-2);
    assertThatThrownBy(() -> batches.decodeFromWire(0, negative)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows is negative");
    // Rows with no features (zero columns) still need bytes for their ids and times.
    Buffer manyRows = Buffer.buffer().appendByte(ScoreBatchCodec.FORMAT).appendInt(-1).appendInt(-1)
        .appendInt(0).appendInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> batches.decodeFromWire(0, manyRows)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlationIds");
    Buffer manyResults = Buffer.buffer().appendByte(ScoreResultCodec.FORMAT).appendInt(Integer.MAX_VALUE).appendInt(0);
    assertThatThrownBy(() -> results.decodeFromWire(0, manyResults)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codes");
  }

  @Test
  void garbledMessagesFailWithAClearError() {
    Buffer wrongVersion = Buffer.buffer();
    batches.encodeToWire(wrongVersion, batch());
    wrongVersion.setByte(0, (byte) 9);
    assertThatThrownBy(() -> batches.decodeFromWire(0, wrongVersion)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 9");
    Buffer badCode = Buffer.buffer();
    results.encodeToWire(badCode, new ScoreResult(new float[] {0.1f, 0.9f}, 2, new byte[] {0}, false, 7));
    badCode.setByte(1 + 4 + 4 + 8, (byte) 77);
    assertThatThrownBy(() -> results.decodeFromWire(0, badCode)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown row code 77");
    Buffer badFlag = Buffer.buffer();
    results.encodeToWire(badFlag, new ScoreResult(new float[] {0.1f, 0.9f}, 2, new byte[] {0}, false, 7));
    badFlag.setByte(1 + 4 + 4 + 8 + 1, (byte) 5);
    assertThatThrownBy(() -> results.decodeFromWire(0, badFlag)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modelFailed");
  }
}
