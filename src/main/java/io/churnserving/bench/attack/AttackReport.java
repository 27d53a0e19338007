package io.churnserving.bench.attack;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What an attack did, as text for people and as JSON for scripts (bench/soak.sh reads the JSON). */
final class AttackReport {
  private AttackReport() {
  }

  /** The report: a headline, then counts, answers by status, failures by kind, maxima; empty lines left out. */
  static String text(AttackOptions o, AttackCounts counts, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "churn-serving attack %s against %s, %s, %.1f s%n", o.kind().label,
        o.target(), o.shape(), seconds));
    line(sb, "counts", counts.counts());
    line(sb, "answers", counts.statuses());
    line(sb, "errors", counts.errors());
    line(sb, "max", counts.maxima());
    return sb.toString();
  }

  /** One line of counts so far, for progress on stderr. */
  static String progress(AttackOptions o, AttackCounts counts, double seconds) {
    return String.format(Locale.ROOT, "%s %.0f s: %s; answers %s; errors %s", o.kind().label, seconds,
        join(counts.counts()), join(counts.statuses()), join(counts.errors()));
  }

  static JsonObject json(AttackOptions o, AttackCounts counts, double seconds) {
    JsonObject settings = new JsonObject().put("target", o.target()).put("connections", o.connections())
        .put("streams", o.streams()).put("interval_ms", o.interval().toMillis())
        .put("duration_s", o.duration().toMillis() / 1000.0).put("seed", o.seed());
    return new JsonObject().put("tool", "churn-serving bench --attack").put("attack", o.kind().label)
        .put("description", o.kind().description).put("settings", settings)
        .put("seconds", Math.round(seconds * 10) / 10.0).mergeIn(counts.toJson());
  }

  private static void line(StringBuilder sb, String label, Map<?, Long> values) {
    if (!values.isEmpty()) {
      sb.append(String.format("%-12s%s%n", label, join(values)));
    }
  }

  private static String join(Map<?, Long> values) {
    if (values.isEmpty()) {
      return "none";
    }
    return values.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
