package io.churnserving.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/**
 * The distribution of churn probability (ten bins of 0.1) and the count per risk tier over a sliding window of
 * one-second buckets: a shift in either is the first sign that the customers, or the model, have drifted. A pure
 * class; the caller passes the time. Not thread-safe: one subscriber context owns it.
 */
public final class DriftMonitor {
  static final int BINS = 10;
  private static final String[] TIERS = {"low", "medium", "high"};

  private final int windowSeconds;
  private final long[] second;
  private final long[][] bins;
  private final long[][] tiers;
  private final double[] sums;

  public DriftMonitor(int windowSeconds) {
    this.windowSeconds = windowSeconds;
    this.second = new long[windowSeconds];
    this.bins = new long[windowSeconds][BINS];
    this.tiers = new long[windowSeconds][TIERS.length];
    this.sums = new double[windowSeconds];
    java.util.Arrays.fill(second, -1);
  }

  /** Counts one prediction made at {@code nowMillis}. */
  public void record(long nowMillis, double probability, String tier) {
    int slot = slot(nowMillis);
    bins[slot][Math.min(BINS - 1, Math.max(0, (int) (probability * BINS)))]++;
    for (int t = 0; t < TIERS.length; t++) {
      if (TIERS[t].equals(tier)) {
        tiers[slot][t]++;
      }
    }
    sums[slot] += probability;
  }

  /** The window ending at {@code nowMillis}. */
  public JsonObject snapshot(long nowMillis) {
    return snapshot(windowSeconds, nowMillis, List.of(this));
  }

  /**
   * The windows given, summed, ending at {@code nowMillis}: several versions of one model seen as one.
   *
   * @param windowSeconds the length of every window given (what an empty collection reports)
   */
  public static JsonObject snapshot(int windowSeconds, long nowMillis, Collection<DriftMonitor> monitors) {
    long[] histogram = new long[BINS];
    long[] tierCounts = new long[TIERS.length];
    double sum = 0;
    for (DriftMonitor monitor : monitors) {
      sum += monitor.addTo(nowMillis / 1000, histogram, tierCounts);
    }
    long count = 0;
    JsonArray distribution = new JsonArray();
    for (int b = 0; b < BINS; b++) {
      count += histogram[b];
      distribution.add(new JsonObject().put("from", b / (double) BINS).put("to", (b + 1) / (double) BINS)
          .put("count", histogram[b]));
    }
    JsonObject tierJson = new JsonObject();
    for (int t = 0; t < TIERS.length; t++) {
      tierJson.put(TIERS[t], tierCounts[t]);
    }
    return new JsonObject().put("window_s", windowSeconds).put("count", count)
        .put("mean_churn_probability", count == 0 ? null : sum / count)
        .put("risk_tiers", tierJson).put("churn_probability_histogram", distribution);
  }

  /** Adds this window's counts at second {@code now} to those given; returns its sum of probabilities. */
  private double addTo(long now, long[] histogram, long[] tierCounts) {
    double sum = 0;
    for (int s = 0; s < windowSeconds; s++) {
      if (second[s] > now - windowSeconds && second[s] <= now) {
        for (int b = 0; b < BINS; b++) {
          histogram[b] += bins[s][b];
        }
        for (int t = 0; t < TIERS.length; t++) {
          tierCounts[t] += tiers[s][t];
        }
        sum += sums[s];
      }
    }
    return sum;
  }

  /** The bucket of this second, emptied first if it last held an older second. */
  private int slot(long nowMillis) {
    long now = nowMillis / 1000;
    int slot = (int) (now % windowSeconds);
    if (second[slot] != now) {
      second[slot] = now;
      java.util.Arrays.fill(bins[slot], 0);
      java.util.Arrays.fill(tiers[slot], 0);
      sums[slot] = 0;
    }
    return slot;
  }
}
