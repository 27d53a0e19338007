package io.churnserving.scoring;

import io.vertx.core.Vertx;

/** Event-bus addresses and codecs of scoring. */
public final class ScoringBus {
  /** Internal address of the scoring workers: {@link ScoreBatch} in, {@link ScoreResult} out. */
  public static final String SCORE_ADDRESS = "churn.scoring.batch";

  private ScoringBus() {
  }

  /** Registers the message codecs; once per {@code Vertx}, by the composition root, before any verticle. */
  public static void registerCodecs(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(ScoreBatch.class, new ScoreBatchCodec());
    vertx.eventBus().registerDefaultCodec(ScoreResult.class, new ScoreResultCodec());
  }
}
