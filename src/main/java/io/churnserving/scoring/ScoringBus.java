package io.churnserving.scoring;

import io.vertx.core.Vertx;

/** Event-bus addresses and codecs of scoring. */
public final class ScoringBus {
  /** Prefix of the scoring workers' addresses. */
  private static final String PREFIX = "churn.scoring.";

  /**
   * The internal address of one model version's scoring workers: {@link ScoreBatch} in, {@link ScoreResult} out. Each
   * version has its own, so a batch reaches only workers holding that version.
   */
  public static String address(String model, String version) {
    return PREFIX + model + "." + version;
  }

  /**
   * The address of one load of a version: a version reloaded under its own number (its files changed) gets workers of
   * its own, so no batch of the new load reaches a worker of the old one while that drains.
   */
  public static String address(String model, String version, long load) {
    return address(model, version) + "." + load;
  }

  private ScoringBus() {
  }

  /** Registers the message codecs; once per {@code Vertx}, by the composition root, before any verticle. */
  public static void registerCodecs(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(ScoreBatch.class, new ScoreBatchCodec());
    vertx.eventBus().registerDefaultCodec(ScoreResult.class, new ScoreResultCodec());
  }
}
