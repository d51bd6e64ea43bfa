package io.flexsched.sim.report;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.replay.PaperReplay;
import io.flexsched.sim.replay.PolicySummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A replay report as one self-contained HTML page: GPU allocation against arrivals per policy (as
 * in Fig. 9 of the FGD paper), the fragmentation ratio against arrivals, and the utilisation of
 * each device model, all inline SVG. The page loads nothing from anywhere (its content security
 * policy forbids it); a few lines of inline script only mark each series as rendered, for tests.
 */
public final class HtmlReport {
  /** The {@code id} of the allocation chart's {@code svg} element. */
  public static final String ALLOCATION_CHART = "allocation-chart";
  /** The {@code id} of the allocation chart zoomed to 80-130% arrivals, where policies differ. */
  public static final String ALLOCATION_ZOOM_CHART = "allocation-zoom-chart";
  /** The first bucket of the zoomed allocation chart. */
  public static final int ZOOM_FROM = 80;
  /** The name of the bound's line in charts and tables. */
  public static final String BOUND = "upper bound";
  /** The {@code id} of the fragmentation chart's {@code svg} element. */
  public static final String FRAGMENTATION_CHART = "fragmentation-chart";
  /** The prefix of each per-model utilisation chart's {@code id}, followed by the model as a token. */
  public static final String UTILISATION_CHART_PREFIX = "utilisation-chart-";

  private static final String X_LABEL = "Arrived GPU demand (% of cluster GPU capacity)";
  private static final int[] TABLE_BUCKETS = {80, 90, 100, 110, 120, 130};

  private HtmlReport() {}

  /** The report as an HTML document. */
  public static String render(ReplayReport report) {
    var html = new StringBuilder(256 * 1024);
    String title = "Flex replay: " + report.workload();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"flex replay\">\n")
        .append("<title>").append(Html.escape(title)).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n");
    html.append("<body data-policies=\"").append(report.summaries().size()).append("\">\n<header>\n<h1>")
        .append(Html.escape(title)).append("</h1>\n<p class=\"summary\">")
        .append(String.format(Locale.ROOT, "%,d nodes, %,d GPUs, %,d tasks; %d policies &times; %d seeds (%s)",
            report.nodes(), report.gpus(), report.tasks(), report.summaries().size(), report.seeds().size(),
            Html.escape(seedText(report.seeds()))))
        .append(". The FGD paper's replay protocol: typical tasks, a seeded shuffle, inflation to 130% of GPU ")
        .append("capacity, one attempt per task; curves are means over seeds.</p>\n</header>\n<main>\n");

    html.append("<section id=\"allocation\">\n<h2>GPU allocation</h2>\n")
        .append("<p>GPU compute allocated against GPU compute requested so far, per policy; the band is ")
        .append("&plusmn; one standard deviation over seeds. A policy that packs well keeps up with arrivals ")
        .append("longer and levels off higher.")
        .append(report.bound() == null ? "" : " The dashed line is an offline upper bound: the most GPU a clairvoyant "
            + "placement of the same arrivals could allocate (a relaxation solved by <code>flex bound</code>).")
        .append("</p>\n")
        .append(allocationChart(report).svg()).append('\n')
        .append("<p>The same, from ").append(ZOOM_FROM).append("% of arrivals on, where the policies differ.</p>\n")
        .append(allocationZoomChart(report).svg()).append('\n');
    allocationTable(html, report);
    html.append("</section>\n");

    html.append("<section id=\"fragmentation\">\n<h2>Fragmentation</h2>\n")
        .append("<p>Share of the free GPU compute that the typical tasks cannot use (the FGD paper's ")
        .append("fragmentation measure), per policy.</p>\n")
        .append(fragmentationChart(report).svg()).append("\n</section>\n");

    html.append("<section id=\"utilisation\">\n<h2>Utilisation per GPU model</h2>\n");
    List<LineChart> perModel = utilisationCharts(report);
    if (perModel.isEmpty()) {
      html.append("<p class=\"empty\">These results carry no per-model utilisation.</p>\n");
    } else {
      html.append("<p>Share of each model's GPU compute allocated, per policy.</p>\n<div class=\"small-multiples\">\n");
      for (LineChart chart : perModel) {
        html.append(chart.svg()).append('\n');
      }
      html.append("</div>\n");
    }
    html.append("</section>\n</main>\n<footer>Written by <code>flex replay --report</code>. ")
        .append("Self-contained: no network loads.</footer>\n");
    html.append("<script>\n").append(RENDER_CHECK).append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  /**
   * Writes the report to {@code file}.
   *
   * @throws InvalidSpecException if {@code file}'s directory does not exist or it cannot be written
   */
  public static void write(ReplayReport report, Path file) {
    requireWritable(file);
    try {
      Files.writeString(file, render(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidSpecException("--report", file, "must be a writable file (" + e.getMessage() + ")");
    }
  }

  /**
   * Checks, before a long replay, that the report can be written to {@code file}: its directory
   * exists and it is not itself a directory.
   *
   * @throws InvalidSpecException naming {@code --report} otherwise
   */
  public static void requireWritable(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidSpecException("--report", file, "must be in an existing directory");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidSpecException("--report", file, "must be a file, not a directory");
    }
    if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
      throw new InvalidSpecException("--report", file, "must be writable");
    }
  }

  static LineChart allocationChart(ReplayReport report) {
    return new LineChart(ALLOCATION_CHART, "GPU allocation against arrived GPU demand: " + report.workload(),
        X_LABEL, "GPU allocation (% of capacity)", 960, 500, 100, Map.of("metric", "allocation"), allocationSeries(report));
  }

  static LineChart allocationZoomChart(ReplayReport report) {
    return new LineChart(ALLOCATION_ZOOM_CHART, "GPU allocation from " + ZOOM_FROM + "% of arrivals: " + report.workload(),
        X_LABEL, "GPU allocation (% of capacity)", 960, 420, ZOOM_FROM, Double.NaN, Double.NaN,
        Map.of("metric", "allocation", "zoom", ZOOM_FROM + "-" + PaperReplay.MAX_BUCKET), allocationSeries(report));
  }

  private static List<ChartSeries> allocationSeries(ReplayReport report) {
    var series = new ArrayList<ChartSeries>();
    for (int i = 0; i < report.summaries().size(); i++) {
      PolicySummary s = report.summaries().get(i);
      series.add(new ChartSeries(s.policy(), Palette.hex(i), s.allocationMean(), s.allocationSd()));
    }
    if (report.bound() != null) {
      series.add(new ChartSeries(BOUND, "#222222", report.bound(), null, true));
    }
    return series;
  }

  static LineChart fragmentationChart(ReplayReport report) {
    var series = new ArrayList<ChartSeries>();
    for (int i = 0; i < report.summaries().size(); i++) {
      PolicySummary s = report.summaries().get(i);
      series.add(new ChartSeries(s.policy(), Palette.hex(i), s.fragmentationMean(), null));
    }
    return new LineChart(FRAGMENTATION_CHART, "Fragmentation ratio against arrived GPU demand: " + report.workload(),
        X_LABEL, "Fragmented (% of free GPU compute)", 960, 500, Double.NaN, Map.of("metric", "fragmentation"), series);
  }

  static List<LineChart> utilisationCharts(ReplayReport report) {
    var charts = new ArrayList<LineChart>();
    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, Integer> model : report.devicesPerModel().entrySet()) {
      var series = new ArrayList<ChartSeries>();
      for (int i = 0; i < report.summaries().size(); i++) {
        PolicySummary s = report.summaries().get(i);
        double[] values = s.utilisationMean().get(model.getKey());
        if (values != null) {
          series.add(new ChartSeries(s.policy(), Palette.hex(i), values, null));
        }
      }
      if (series.isEmpty()) {
        continue;
      }
      String id = UTILISATION_CHART_PREFIX + Html.token(model.getKey());
      for (int n = 2; !ids.add(id); n++) {
        id = UTILISATION_CHART_PREFIX + Html.token(model.getKey()) + "-" + n;
      }
      charts.add(new LineChart(id, model.getKey() + ": " + String.format(Locale.ROOT, "%,d GPUs", model.getValue()),
          "Arrived GPU demand (% of capacity)", "Allocated (% of the model)", 600, 340, 100,
          Map.of("metric", "utilisation", "model", model.getKey(), "devices", String.valueOf(model.getValue())), series));
    }
    return charts;
  }

  private static void allocationTable(StringBuilder html, ReplayReport report) {
    html.append("<table id=\"allocation-table\">\n<caption>GPU allocation % at arrived % of GPU capacity ")
        .append("(mean &plusmn; sd over seeds)</caption>\n<thead><tr><th scope=\"col\">policy</th>");
    for (int b : TABLE_BUCKETS) {
      html.append("<th scope=\"col\">").append(b).append("%</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (PolicySummary s : report.summaries()) {
      html.append("<tr data-policy=\"").append(Html.escape(s.policy())).append("\"><th scope=\"row\">")
          .append(Html.escape(s.policy())).append("</th>");
      for (int b : TABLE_BUCKETS) {
        html.append("<td>").append(String.format(Locale.ROOT, "%.2f &plusmn; %.2f", s.allocationMean()[b], s.allocationSd()[b]))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    if (report.bound() != null) {
      html.append("<tr data-policy=\"").append(Html.escape(BOUND)).append("\"><th scope=\"row\">").append(BOUND).append("</th>");
      for (int b : TABLE_BUCKETS) {
        html.append("<td>").append(Double.isFinite(report.bound()[b])
            ? String.format(Locale.ROOT, "%.2f", report.bound()[b]) : "&ndash;").append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static String seedText(List<Long> seeds) {
    if (seeds.size() > 2) {
      boolean consecutive = true;
      for (int i = 1; i < seeds.size(); i++) {
        consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
      }
      if (consecutive) {
        return "seeds " + seeds.get(0) + "-" + seeds.get(seeds.size() - 1);
      }
    }
    var parts = new ArrayList<String>();
    for (long s : seeds) {
      parts.add(Long.toString(s));
    }
    return (seeds.size() == 1 ? "seed " : "seeds ") + String.join(", ", parts);
  }

  private static final String STYLE = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
             margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #222; background: #fff; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.25em; margin-top: 1.6em; }
      p { max-width: 60em; line-height: 1.4; }
      svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
      svg.chart text { font-size: 12px; fill: #333; }
      svg.chart .chart-title { font-size: 15px; font-weight: 600; }
      svg.chart .axis-label { font-size: 13px; }
      svg.chart .axis line { stroke: #555; }
      svg.chart .axis line.grid { stroke: #e4e4e4; }
      svg.chart .legend text { font-size: 13px; }
      .small-multiples { display: flex; flex-wrap: wrap; gap: 8px 24px; }
      table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
      caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
      th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; }
      th[scope=row] { text-align: left; }
      footer { margin-top: 2em; color: #666; font-size: 0.9em; }
      """;

  // Marks each drawn series with its rendered length and box, so a headless browser's DOM shows
  // that the charts were laid out, not only written.
  private static final String RENDER_CHECK = """
      (function () {
        var drawn = 0;
        document.querySelectorAll('svg.chart path.series').forEach(function (path) {
          var box = path.getBBox();
          var length = path.getTotalLength();
          path.setAttribute('data-rendered-length', length.toFixed(1));
          path.setAttribute('data-rendered-box', box.width.toFixed(1) + 'x' + box.height.toFixed(1));
          if (length > 0 && box.width > 0) { drawn++; }
        });
        document.body.setAttribute('data-rendered-series', String(drawn));
        document.body.setAttribute('data-rendered-charts', String(document.querySelectorAll('svg.chart').length));
      })();
      """;
}
