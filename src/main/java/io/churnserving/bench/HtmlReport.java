package io.churnserving.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A self-contained HTML page for one run: headline figures, latency by percentile drawn as inline SVG on a
 * logarithmic "nines" axis (as HdrHistogram's plotter draws it, so the tail gets as much room as the median), and
 * tables of percentiles, statuses, errors and settings. No script, no stylesheet or font from elsewhere: the file
 * opens offline and can be attached to anything.
 */
final class HtmlReport {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;
  private static final String LATENCY_COLOUR = "#c0392b";
  private static final String SERVICE_COLOUR = "#2471a3";

  private HtmlReport() {
  }

  static String render(Result r) {
    BenchOptions o = r.options;
    String title = String.format(Locale.ROOT, "churn-serving bench: %s loop%s, %d connections",
        o.mode().name().toLowerCase(Locale.ROOT), TextReport.over(o), o.connections());
    StringBuilder html = new StringBuilder(32_768);
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;"
            + "max-width:960px;color:#222;padding:0 1em}\n")
        .append("h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.1em;margin-top:1.8em}"
            + ".sub{color:#666;margin-top:0}\n")
        .append(".cards{display:flex;flex-wrap:wrap;gap:.8em;margin:1.2em 0}"
            + ".card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:8em}"
            + ".card b{display:block;font-size:1.35em}.card span{color:#666;font-size:.85em}\n")
        .append("table{border-collapse:collapse;margin:.4em 0}td,th{padding:3px 14px 3px 0;text-align:left}"
            + "td.n,th.n{text-align:right}tr+tr td{border-top:1px solid #eee}\n")
        .append("svg text{font-size:12px;fill:#333}.warn{color:#a04000}\n")
        .append(".errors{border:2px solid #c0392b;border-radius:6px;padding:.2em 1em .8em;margin:1.2em 0;"
            + "background:#fdf2f1}.errors h2{margin-top:.6em;color:#c0392b}.fail{font-size:1.15em}\n")
        .append("</style></head><body>\n");
    html.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">").append(esc(o.target()))
        .append(" &middot; started ").append(esc(r.startedAt.toString())).append("<br>server ")
        .append(esc(r.server.describe())).append(" &middot; load generator ").append(esc(r.machine.describe()))
        .append("</p>\n");
    // Errors come first: a run whose answers were all 401s has latency figures too, and they mean nothing.
    errors(html, r);
    cards(html, r);
    if (r.openLoop() && r.notSent > 0) {
      html.append(String.format(Locale.ROOT, "<p class=\"warn\">%,d of %,d %ss due in the measured time were "
          + "never sent: every connection was still busy at the end, so the target did not keep up with %,d "
          + "%ss/s.</p>\n", r.notSent, r.scheduled, o.unit(), o.rate(), o.unit()));
    }
    html.append("<h2 id=\"warmup\">Warm-up</h2>\n<p").append(TextReport.coldWarmup(r) ? " class=\"warn\"" : "")
        .append(">").append(esc(TextReport.warmup(r))).append(".</p>\n");
    html.append("<h2>Latency by percentile</h2>\n");
    chart(html, r);
    html.append("<p class=\"sub\">").append(r.openLoop()
        ? "Latency counts from when each " + o.unit() + " was due on the schedule, so waiting behind a slow answer "
            + "is included (coordinated omission corrected); service time counts from when it actually left."
        : o.webSocket() ? "Closed loop: latency counts from when each message was sent; each connection keeps "
            + o.inFlight() + " messages unanswered, sending more as answers come back."
        : "Closed loop: latency counts from when each request was sent; each connection sends its next request "
            + "when the previous one is answered.").append("</p>\n");
    percentileTable(html, r);
    html.append("<h2 id=\"over-time\">Throughput and latency over time</h2>\n");
    overTimeChart(html, r);
    html.append("<h2>Answers</h2>\n");
    countTable(html, "status", r.statuses);
    html.append("<h2>Settings</h2>\n");
    settingsTable(html, r);
    html.append("<p class=\"sub\">HdrHistogram, microseconds, 3 significant digits. Written by "
        + "<code>java -jar churn-serving.jar bench</code>.</p>\n</body></html>\n");
    return html.toString();
  }

  /** The errors section, at the top of the page; nothing when there were no errors. */
  private static void errors(StringBuilder html, Result r) {
    long errors = r.errors();
    if (errors == 0 && !r.nothingSucceeded()) {
      return;
    }
    String unit = r.options.unit();
    long total = r.answered() + r.transportFailures();
    html.append("<section class=\"errors\" id=\"errors\">\n<h2>Errors</h2>\n");
    if (r.nothingSucceeded()) {
      String hint = r.errorHint();
      html.append(String.format(Locale.ROOT, "<p class=\"fail\"><b>No %s succeeded</b>: every answer was an error "
          + "(%,d errors, 0 answers with a 2xx status), so the latency figures below are those of errors and "
          + "measure nothing useful. The run's exit status is 1.</p>%n", unit, errors));
      if (!hint.isEmpty()) {
        html.append("<p><b>Likely cause</b>: ").append(esc(hint)).append(".</p>\n");
      }
    } else {
      html.append(String.format(Locale.ROOT, "<p>%,d of %,d %ss (%.2f%%) ended in an error.</p>%n", errors, total,
          unit, 100.0 * errors / Math.max(1, total)));
    }
    html.append("<table><tr><th>error</th><th class=\"n\">count</th><th class=\"n\">share</th></tr>\n");
    r.errorStatuses().forEach((status, n) -> errorRow(html, "HTTP " + status, n, total));
    r.failures.forEach((kind, n) -> errorRow(html, "no answer: " + kind, n, total));
    html.append("</table>\n</section>\n");
  }

  private static void errorRow(StringBuilder html, String what, long n, long total) {
    html.append("<tr><td>").append(esc(what)).append("</td><td class=\"n\">")
        .append(String.format(Locale.ROOT, "%,d</td><td class=\"n\">%.2f%%</td></tr>%n", n,
            100.0 * n / Math.max(1, total)));
  }

  private static void cards(StringBuilder html, Result r) {
    html.append("<div class=\"cards\">");
    card(html, String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()), r.options.unit() + "s/s");
    if (r.options.body() == BenchOptions.Body.BATCH) {
      card(html, String.format(Locale.ROOT, "%,.0f", r.predictionsPerSecond()), "predictions/s");
    }
    for (double p : new double[] {50, 99, 99.9}) {
      card(html, ms(Result.ms(r.latency, p)), Result.label(p) + " ms");
    }
    card(html, ms(Result.maxMs(r.latency)), "max ms");
    card(html, String.format(Locale.ROOT, "%,d", r.errors()), "errors");
    html.append("</div>\n");
  }

  private static void card(StringBuilder html, String value, String label) {
    html.append("<div class=\"card\"><b>").append(esc(value)).append("</b><span>").append(esc(label))
        .append("</span></div>");
  }

  /** The chart: x is -log10(1 - percentile/100), so 90%, 99%, 99.9% ... sit one unit apart. */
  private static void chart(StringBuilder html, Result r) {
    List<Result.Point> latency = Result.curve(r.latency);
    List<Result.Point> service = r.openLoop() ? Result.curve(r.serviceTime) : List.of();
    // Enough nines to reach the last sample (n samples resolve about log10(n) nines), at least to 99.9%.
    int nines = (int) Math.max(3, Math.min(6, Math.ceil(Math.log10(Math.max(1, r.latency.getTotalCount())))));
    double yMax = niceCeiling(Math.max(Result.maxMs(r.latency), Result.maxMs(r.serviceTime)));
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    html.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
        + "aria-label=\"latency by percentile\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"#fcfcfc\" "
        + "stroke=\"#ccc\"/>\n", LEFT, TOP, plotW, plotH));
    for (int n = 0; n <= nines; n++) {
      double x = LEFT + plotW * n / nines;
      html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, TOP, x, TOP + plotH, x,
          TOP + plotH + 18, ninesLabel(n)));
    }
    int yTicks = 5;
    // Ticks are multiples of 0.2, 0.4 or 1 times a power of ten: as many decimals as the step needs, no more.
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(yMax / yTicks) - 1e-9));
    for (int i = 0; i <= yTicks; i++) {
      double value = yMax * i / yTicks;
      double y = TOP + plotH - plotH * i / yTicks;
      html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%." + decimals + "f</text>\n", LEFT, y, LEFT + plotW, y,
          LEFT - 8, y + 4, value));
    }
    html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>"
        + "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">latency (ms)</text>\n",
        LEFT + plotW / 2, HEIGHT - 8, TOP + plotH / 2, TOP + plotH / 2));
    if (!service.isEmpty()) {
      html.append(polyline(service, nines, yMax, SERVICE_COLOUR, "6 4"));
    }
    html.append(polyline(latency, nines, yMax, LATENCY_COLOUR, null));
    for (double p : Result.SUMMARY_PERCENTILES) {
      if (r.latency.getTotalCount() == 0) {
        break;
      }
      double v = Result.ms(r.latency, p);
      html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %s ms"
          + "</title></circle>\n", x(p, nines), y(v, yMax), LATENCY_COLOUR, Result.label(p), ms(v)));
    }
    legend(html, r.openLoop());
    html.append("</svg>\n");
  }

  private static void legend(StringBuilder html, boolean open) {
    double x = LEFT + 14;
    double y = TOP + 18;
    html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
        + "stroke-width=\"2.5\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, y, x + 26, y, LATENCY_COLOUR, x + 32,
        y + 4, open ? "latency, from intended send time" : "latency"));
    if (open) {
      y += 18;
      html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
          + "stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\">service time, from actual send"
          + "</text>\n", x, y, x + 26, y, SERVICE_COLOUR, x + 32, y + 4));
    }
  }

  private static String polyline(List<Result.Point> points, int nines, double yMax, String colour, String dash) {
    StringBuilder sb = new StringBuilder("<polyline fill=\"none\" stroke-linejoin=\"round\" stroke=\"")
        .append(colour).append("\" stroke-width=\"").append(dash == null ? "2.5" : "2").append('"');
    if (dash != null) {
      sb.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    sb.append(" points=\"");
    for (Result.Point p : points) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.percentile(), nines), y(p.latencyMs(), yMax)));
    }
    return sb.append("\"/>\n").toString();
  }

  private static double x(double percentile, int nines) {
    double remaining = 1 - percentile / 100;
    double n = remaining <= 0 ? nines : Math.min(nines, -Math.log10(remaining));
    return LEFT + (WIDTH - LEFT - RIGHT) * n / nines;
  }

  private static double y(double ms, double yMax) {
    double plotH = HEIGHT - TOP - BOTTOM;
    return TOP + plotH - plotH * Math.min(1, ms / yMax);
  }

  /**
   * Two panels over the same time axis: answers (and errors) per second above, p50 and p99 latency of the answers
   * that came in each interval below. A soak that degrades shows as a falling top line or a rising bottom one.
   */
  private static void overTimeChart(StringBuilder html, Result r) {
    List<OverTime.Point> points = r.overTime.points();
    if (points.isEmpty()) {
      html.append("<p>Nothing was answered or failed in the measured time, so there is nothing to draw.</p>\n");
      return;
    }
    double width = r.overTime.widthSeconds();
    double xMax = r.measuredSeconds;
    double rateMax = niceCeiling(points.stream().mapToDouble(p -> p.perSecond(p.answers())).max().orElse(0));
    double msMax = niceCeiling(points.stream().mapToDouble(OverTime.Point::p99Ms).max().orElse(0));
    boolean anyErrors = points.stream().anyMatch(p -> p.errors() > 0);
    int panel = 190;
    int gap = 50;
    int height = TOP + panel + gap + panel + BOTTOM;
    double plotW = WIDTH - LEFT - RIGHT;
    html.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
        + "aria-label=\"throughput and latency over time\">%n", WIDTH, height, WIDTH, height));
    int top1 = TOP;
    int top2 = TOP + panel + gap;
    timeAxes(html, top1, panel, xMax, rateMax, r.options.unit() + "s/s", false);
    timeAxes(html, top2, panel, xMax, msMax, "latency (ms)", true);
    html.append(series(points, "throughput", p -> p.perSecond(p.answers()), xMax, rateMax, top1, panel, SERVICE_COLOUR,
        null));
    if (anyErrors) {
      html.append(series(points, "errors", p -> p.perSecond(p.errors()), xMax, rateMax, top1, panel, LATENCY_COLOUR,
          "6 4"));
    }
    html.append(series(points, "p50", OverTime.Point::p50Ms, xMax, msMax, top2, panel, SERVICE_COLOUR, null));
    html.append(series(points, "p99", OverTime.Point::p99Ms, xMax, msMax, top2, panel, LATENCY_COLOUR, null));
    legendEntry(html, top1, 0, SERVICE_COLOUR, "answers/s", null);
    if (anyErrors) {
      legendEntry(html, top1, 1, LATENCY_COLOUR, "errors/s (non-2xx and no answer)", "6 4");
    }
    legendEntry(html, top2, 0, SERVICE_COLOUR, "p50", null);
    legendEntry(html, top2, 1, LATENCY_COLOUR, "p99", null);
    html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">seconds into the "
        + "measured time</text>%n", LEFT + plotW / 2, height - 8));
    html.append("</svg>\n");
    html.append(String.format(Locale.ROOT, "<p class=\"sub\">One point per %s interval, by when each answer came (the "
        + "last also holds the answers that came after the end); latency counts as in the chart above (%s).%s</p>%n",
        (long) width + " s",
        r.openLoop() ? "from when each " + r.options.unit() + " was due" : "from when each was sent",
        TextReport.overTime(r).isEmpty() ? "" : " " + esc(TextReport.overTime(r)) + "."));
  }

  private static void timeAxes(StringBuilder html, int top, int panel, double xMax, double yMax, String yLabel,
      boolean xLabels) {
    double plotW = WIDTH - LEFT - RIGHT;
    html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"#fcfcfc\" "
        + "stroke=\"#ccc\"/>%n", LEFT, top, plotW, panel));
    double step = niceCeiling(xMax / 8);
    for (double t = 0; t <= xMax + 1e-9; t += step) {
      double x = LEFT + plotW * t / xMax;
      html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
          + "stroke=\"#e4e4e4\"/>", x, top, x, top + panel));
      if (xLabels) {
        html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
            top + panel + 18, step < 1 ? String.format(Locale.ROOT, "%.1f", t) : Long.toString(Math.round(t))));
      }
      html.append('\n');
    }
    // yMax is 1, 2 or 5 times a power of ten, so fifths are round: 0.2, 0.4 or 1 times one.
    int yTicks = 5;
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(yMax / yTicks) - 1e-9));
    for (int i = 0; i <= yTicks; i++) {
      double y = top + panel - (double) panel * i / yTicks;
      html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotW, y, LEFT - 8, y + 4,
          String.format(Locale.ROOT, "%,." + decimals + "f", yMax * i / yTicks)));
    }
    html.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
        + "transform=\"rotate(-90 16 %.1f)\">%s</text>%n", top + panel / 2.0, top + panel / 2.0, esc(yLabel)));
  }

  private static String series(List<OverTime.Point> points, String name,
      java.util.function.ToDoubleFunction<OverTime.Point> value, double xMax, double yMax, int top, int panel,
      String colour, String dash) {
    double plotW = WIDTH - LEFT - RIGHT;
    StringBuilder sb = new StringBuilder("<polyline data-series=\"").append(name)
        .append("\" fill=\"none\" stroke-linejoin=\"round\" stroke-width=\"2\" stroke=\"").append(colour)
        .append(dash == null ? "" : "\" stroke-dasharray=\"" + dash).append("\" points=\"");
    StringBuilder dots = new StringBuilder();
    for (OverTime.Point p : points) {
      double x = LEFT + plotW * p.middleSeconds() / xMax;
      double y = top + panel - panel * Math.min(1, value.applyAsDouble(p) / yMax);
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      if (points.size() == 1) {
        // A one-point polyline draws nothing.
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y,
            colour));
      }
    }
    return sb.append("\"><title>").append(esc(name)).append("</title></polyline>").append(dots).append('\n')
        .toString();
  }

  private static void legendEntry(StringBuilder html, int top, int index, String colour, String label,
      String dash) {
    double x = LEFT + 14 + index * 150;
    double y = top + 16;
    html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
        + "stroke-width=\"2.5\"%s/><text x=\"%.1f\" y=\"%.1f\">%s</text>%n", x, y, x + 22, y, colour,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"", x + 28, y + 4, esc(label)));
  }

  /** 0%, 90%, 99%, 99.9% ... */
  static String ninesLabel(int nines) {
    return switch (nines) {
      case 0 -> "0%";
      case 1 -> "90%";
      case 2 -> "99%";
      default -> "99." + "9".repeat(nines - 2) + "%";
    };
  }

  /** The smallest 1, 2 or 5 times a power of ten that is at least {@code value}, so axis ticks are round. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static void percentileTable(StringBuilder html, Result r) {
    html.append("<table><tr><th></th>");
    for (double p : Result.SUMMARY_PERCENTILES) {
      html.append("<th class=\"n\">").append(Result.label(p)).append("</th>");
    }
    html.append("<th class=\"n\">max</th></tr>\n");
    percentileRow(html, r.openLoop() ? "latency ms (from due)" : "latency ms", r.latency);
    if (r.openLoop()) {
      percentileRow(html, "service time ms", r.serviceTime);
    }
    html.append("</table>\n");
  }

  private static void percentileRow(StringBuilder html, String label, Histogram h) {
    html.append("<tr><td>").append(esc(label)).append("</td>");
    for (double p : Result.SUMMARY_PERCENTILES) {
      html.append("<td class=\"n\">").append(ms(Result.ms(h, p))).append("</td>");
    }
    html.append("<td class=\"n\">").append(ms(Result.maxMs(h))).append("</td></tr>\n");
  }

  private static void countTable(StringBuilder html, String what, Map<?, Long> counts) {
    html.append("<table><tr><th>").append(esc(what)).append("</th><th class=\"n\">count</th></tr>\n");
    if (counts.isEmpty()) {
      html.append("<tr><td colspan=\"2\">none</td></tr>\n");
    }
    counts.forEach((k, v) -> html.append("<tr><td>").append(esc(String.valueOf(k))).append("</td><td class=\"n\">")
        .append(String.format(Locale.ROOT, "%,d", v)).append("</td></tr>\n"));
    html.append("</table>\n");
  }

  private static void settingsTable(StringBuilder html, Result r) {
    BenchOptions o = r.options;
    html.append("<table>\n");
    row(html, "target", o.target());
    row(html, "mode", o.mode().name().toLowerCase(Locale.ROOT) + " loop"
        + (r.openLoop() ? String.format(Locale.ROOT, ", %,d %ss/s (%,d due while measuring)", o.rate(), o.unit(),
            r.scheduled) : ""));
    row(html, "connections", o.connections() + " (" + r.connectionsOpened + " opened)"
        + (o.streamed() ? ", " + o.inFlight() + " messages in flight each" : ""));
    row(html, "client threads", Integer.toString(o.threads()));
    row(html, "duration", o.duration().toMillis() / 1000.0 + " s after " + o.warmup().toMillis() / 1000.0
        + " s warm-up");
    row(html, "body", TextReport.body(o));
    row(html, "schema", o.schema().toString());
    row(html, "seed", Long.toString(o.seed()));
    row(html, "timeout", o.timeout().toMillis() / 1000.0 + " s");
    row(html, "answers", String.format(Locale.ROOT, "%,d in %.3f s", r.answered(), r.measuredSeconds));
    row(html, "warm-up", TextReport.warmup(r));
    row(html, "time split", TextReport.split(r.split));
    row(html, "server", r.server.describe() + (r.server.known() ? ", from " + r.server.source() : ""));
    row(html, "machine", r.machine.describe() + "; " + Machine.whose(OptionValues.isLoopback(o.url().getHost())));
    html.append("</table>\n");
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(value)).append("</td></tr>\n");
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.3f", value);
  }

  static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
