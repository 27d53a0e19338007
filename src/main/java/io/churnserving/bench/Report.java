package io.churnserving.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;

/** The result of a run: a summary for the terminal, a JSON document, and a self-contained HTML page. */
final class Report {
  static final double[] SUMMARY = {50, 90, 99, 99.9};

  private final BenchOptions options;
  private final Recorder recorder;
  private final double seconds;

  Report(BenchOptions options, Recorder recorder, double seconds) {
    this.options = options;
    this.recorder = recorder;
    this.seconds = seconds;
  }

  double requestsPerSecond() {
    return recorder.requests() / seconds;
  }

  double ms(double percentile) {
    return recorder.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "target %s  mode %s  connections %d%s  duration %.1fs (warm-up %ds)%n",
        options.url(), options.mode().name().toLowerCase(Locale.ROOT), options.connections(),
        options.mode() == BenchOptions.Mode.OPEN ? "  rate " + options.rate() + "/s" : "", seconds,
        options.warmup().toSeconds()));
    sb.append(String.format(Locale.ROOT, "requests %d  req/s %.1f", recorder.requests(), requestsPerSecond()));
    if (options.batchSize() > 0) {
      sb.append(String.format(Locale.ROOT, "  predictions/s %.0f", requestsPerSecond() * options.batchSize()));
    }
    sb.append(String.format(Locale.ROOT, "%nlatency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        ms(50), ms(90), ms(99), ms(99.9), recorder.latencyMicros.getMaxValue() / 1000.0));
    sb.append("status ").append(recorder.statuses).append("  errors ").append(recorder.errors).append('\n');
    return sb.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("url", options.url().toString());
    settings.put("mode", options.mode().name().toLowerCase(Locale.ROOT));
    settings.put("connections", options.connections());
    settings.put("rate", options.rate());
    settings.put("duration_s", options.duration().toMillis() / 1000.0);
    settings.put("warmup_s", options.warmup().toMillis() / 1000.0);
    settings.put("batch_size", options.batchSize());
    settings.put("seed", options.seed());
    m.put("settings", settings);
    m.put("requests", recorder.requests());
    m.put("seconds", seconds);
    m.put("requests_per_s", requestsPerSecond());
    m.put("predictions_per_s", requestsPerSecond() * Math.max(1, options.batchSize()));
    Map<String, Object> latency = new LinkedHashMap<>();
    for (double p : SUMMARY) {
      latency.put("p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)), ms(p));
    }
    latency.put("max", recorder.latencyMicros.getMaxValue() / 1000.0);
    latency.put("mean", recorder.latencyMicros.getMean() / 1000.0);
    m.put("latency_ms", latency);
    Map<String, Long> statuses = new LinkedHashMap<>();
    recorder.statuses.forEach((k, v) -> statuses.put(Integer.toString(k), v));
    m.put("status_counts", statuses);
    m.put("errors", recorder.errors);
    m.put("percentiles", percentiles());
    return m;
  }

  /** HdrHistogram's percentile distribution: 5 points per halving of the distance to 100%. */
  List<Map<String, Double>> percentiles() {
    List<Map<String, Double>> points = new ArrayList<>();
    if (recorder.latencyMicros.getTotalCount() == 0) {
      return points;
    }
    for (HistogramIterationValue v : recorder.latencyMicros.percentiles(5)) {
      points.add(Map.of("percentile", v.getPercentileLevelIteratedTo(), "latency_ms",
          v.getValueIteratedTo() / 1000.0));
      if (v.getPercentileLevelIteratedTo() >= 100.0) {
        break;
      }
    }
    return points;
  }

  void write(String prefix) throws IOException {
    Path json = Path.of(prefix + ".json");
    if (json.getParent() != null) {
      Files.createDirectories(json.getParent());
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), json());
    Files.writeString(Path.of(prefix + ".html"), html(), StandardCharsets.UTF_8);
  }

  /** A page with the summary table and latency by percentile on a log "nines" axis, like HdrHistogram's plotter. */
  String html() {
    List<Map<String, Double>> points = percentiles();
    double width = 760;
    double height = 360;
    double left = 60;
    double bottom = 40;
    double maxNines = 5;
    double maxMs = points.stream().mapToDouble(p -> p.get("latency_ms")).max().orElse(1) * 1.1;
    StringBuilder path = new StringBuilder();
    for (Map<String, Double> p : points) {
      double nines = Math.min(maxNines, -Math.log10(Math.max(1e-9, 1 - p.get("percentile") / 100)));
      double x = left + nines / maxNines * (width - left - 20);
      double y = height - bottom - p.get("latency_ms") / maxMs * (height - bottom - 20);
      path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    StringBuilder axis = new StringBuilder();
    String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
    for (int n = 0; n <= maxNines; n++) {
      double x = left + n / maxNines * (width - left - 20);
      axis.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='20' x2='%.1f' y2='%.1f' stroke='#ddd'/>"
          + "<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%s</text>", x, x, height - bottom, x,
          height - bottom + 16, labels[n]));
    }
    for (int i = 0; i <= 4; i++) {
      double ms = maxMs * i / 4;
      double y = height - bottom - ms / maxMs * (height - bottom - 20);
      axis.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#eee'/>"
          + "<text x='%.1f' y='%.1f' font-size='11' text-anchor='end'>%.2f</text>", left, y, width - 20, y,
          left - 6, y + 4, ms));
    }
    StringBuilder rows = new StringBuilder();
    for (double p : SUMMARY) {
      rows.append(String.format(Locale.ROOT, "<tr><td>p%s</td><td>%.3f ms</td></tr>",
          p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p), ms(p)));
    }
    rows.append(String.format(Locale.ROOT, "<tr><td>max</td><td>%.3f ms</td></tr>",
        recorder.latencyMicros.getMaxValue() / 1000.0));
    return "<!doctype html><html><head><meta charset='utf-8'><title>churn-serving load test</title>"
        + "<style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px}pre{background:#f6f6f6;padding:1em}"
        + "</style></head><body><h1>churn-serving load test</h1><pre>" + escape(summary()) + "</pre>"
        + "<table>" + rows + "</table><h2>Latency by percentile</h2>"
        + "<svg xmlns='http://www.w3.org/2000/svg' width='" + (int) width + "' height='" + (int) height + "'>"
        + axis + "<path d='" + path + "' fill='none' stroke='#c0392b' stroke-width='2'/>"
        + "<text x='" + (int) (width / 2) + "' y='" + (int) (height - 4) + "' font-size='12' text-anchor='middle'>"
        + "percentile</text><text x='14' y='" + (int) (height / 2) + "' font-size='12' "
        + "transform='rotate(-90 14 " + (int) (height / 2) + ")' text-anchor='middle'>latency (ms)</text></svg>"
        + "</body></html>\n";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
