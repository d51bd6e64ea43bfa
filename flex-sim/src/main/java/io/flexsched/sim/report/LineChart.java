package io.flexsched.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart of per-bucket values against arrived GPU demand (% of capacity), drawn as inline
 * SVG: a title, both axes with ticks and labels, a grid, one {@code path.series} per policy with
 * its {@code data-policy}, and a legend. Every element a test or a stylesheet needs has a stable
 * id, class or data attribute.
 *
 * @param id the {@code svg} element's id
 * @param title the chart's title
 * @param xLabel the x axis's label
 * @param yLabel the y axis's label
 * @param width the drawing's width in pixels (the legend takes the right-most 150)
 * @param height the drawing's height in pixels
 * @param xMin the first bucket shown (0 for the whole run; a zoomed panel starts later)
 * @param yMax the top of the y axis, or NaN to round the data's maximum up to a tick
 * @param yMin the bottom of the y axis, or NaN to round the shown data's minimum down to a tick
 * @param data extra {@code data-*} attributes of the {@code svg} element, without the prefix
 * @param series the curves, in legend order
 */
record LineChart(
    String id, String title, String xLabel, String yLabel, int width, int height, int xMin, double yMax,
    double yMin, Map<String, String> data, List<ChartSeries> series) {

  private static final int LEFT = 64;
  private static final int TOP = 44;
  private static final int BOTTOM = 56;
  private static final int LEGEND = 150;
  private static final int Y_TICKS = 5;

  LineChart {
    data = Map.copyOf(data);
    series = List.copyOf(series);
  }

  /** A chart of every bucket from 0, with its y axis from 0. */
  LineChart(String id, String title, String xLabel, String yLabel, int width, int height, double yMax,
      Map<String, String> data, List<ChartSeries> series) {
    this(id, title, xLabel, yLabel, width, height, 0, yMax, 0, data, series);
  }

  /** The chart as an {@code <svg>} element. */
  String svg() {
    int buckets = 0;
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (ChartSeries s : series) {
      buckets = Math.max(buckets, s.values().length);
      for (int b = xMin; b < s.values().length; b++) {
        double sd = s.sd() == null ? 0 : s.sd()[b];
        if (Double.isFinite(s.values()[b] + sd)) {
          max = Math.max(max, s.values()[b] + sd);
          min = Math.min(min, s.values()[b] - sd);
        }
      }
    }
    double xMax = Math.max(xMin + 1, buckets - 1);
    double yStep;
    double yTop;
    double yBottom;
    if (Double.isNaN(yMin) && Double.isFinite(min)) {
      // A fitted axis: ticks cut the data's own range, not the distance from 0.
      yStep = niceStep((Double.isNaN(yMax) ? max : yMax) - min);
      yBottom = Math.floor(min / yStep) * yStep;
      yTop = Double.isNaN(yMax) ? Math.max(yBottom + yStep, Math.ceil(max / yStep) * yStep) : yMax;
    } else {
      yStep = niceStep(Double.isNaN(yMax) ? max : yMax);
      yBottom = Double.isNaN(yMin) ? 0 : yMin;
      yTop = Double.isNaN(yMax) ? Math.max(yStep, Math.ceil(max / yStep) * yStep) : yMax;
    }
    var plot = new Plot(LEFT, TOP, width - LEGEND - LEFT - 16, height - TOP - BOTTOM, xMin, xMax, yBottom, yTop);

    var svg = new StringBuilder(16_384);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(Html.escape(id))
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-labelledby=\"").append(Html.escape(id)).append("-title\"")
        .append(" data-series-count=\"").append(series.size()).append('"');
    data.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        svg.append(" data-").append(Html.token(e.getKey())).append("=\"").append(Html.escape(e.getValue())).append('"'));
    svg.append(">\n");
    svg.append("<title id=\"").append(Html.escape(id)).append("-title\">").append(Html.escape(title)).append("</title>\n");
    svg.append("<text class=\"chart-title\" x=\"").append(width / 2).append("\" y=\"24\" text-anchor=\"middle\">")
        .append(Html.escape(title)).append("</text>\n");
    xAxis(svg, plot);
    yAxis(svg, plot, yStep);
    // Clip to the plot, with room for half a stroke, so a band or line past the axis stays inside.
    svg.append("<defs><clipPath id=\"").append(Html.escape(id)).append("-clip\"><rect x=\"").append(plot.left - 3)
        .append("\" y=\"").append(plot.top - 3).append("\" width=\"").append(plot.width + 6)
        .append("\" height=\"").append(plot.height + 6).append("\"/></clipPath></defs>\n");
    svg.append("<g class=\"series-group\" clip-path=\"url(#").append(Html.escape(id)).append("-clip)\">\n");
    for (ChartSeries s : series) {
      if (s.sd() != null) {
        band(svg, plot, s);
      }
    }
    for (ChartSeries s : series) {
      svg.append("<path class=\"series\" data-policy=\"").append(Html.escape(s.policy()))
          .append("\" fill=\"none\" stroke=\"").append(Html.escape(s.colour()))
          .append(s.dashed() ? "\" stroke-dasharray=\"8 5" : "")
          .append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\" d=\"").append(line(plot, s.values(), s.dashed()))
          .append("\"><title>").append(Html.escape(s.policy())).append("</title></path>\n");
    }
    svg.append("</g>\n");
    legend(svg, plot);
    svg.append("</svg>");
    return svg.toString();
  }

  /** Where the data lands in the drawing. */
  private record Plot(int left, int top, int width, int height, int xMin, double xMax, double yMin, double yMax) {
    double x(double value) {
      return left + width * (value - xMin) / (xMax - xMin);
    }

    double y(double value) {
      return top + height - height * (value - yMin) / (yMax - yMin);
    }
  }

  private void xAxis(StringBuilder svg, Plot p) {
    int step = p.xMax - p.xMin <= 60 ? 5 : p.width < 500 ? 20 : 10;
    int bottom = p.top + p.height;
    svg.append("<g class=\"axis x-axis\">\n");
    svg.append("<line class=\"axis-line\" x1=\"").append(p.left).append("\" y1=\"").append(bottom)
        .append("\" x2=\"").append(p.left + p.width).append("\" y2=\"").append(bottom).append("\"/>\n");
    for (int v = p.xMin; v <= p.xMax; v += step) {
      String x = Html.coordinate(p.x(v));
      svg.append("<g class=\"tick\" data-value=\"").append(v).append("\">")
          .append("<line class=\"grid\" x1=\"").append(x).append("\" y1=\"").append(p.top)
          .append("\" x2=\"").append(x).append("\" y2=\"").append(bottom).append("\"/>")
          .append("<line x1=\"").append(x).append("\" y1=\"").append(bottom)
          .append("\" x2=\"").append(x).append("\" y2=\"").append(bottom + 5).append("\"/>")
          .append("<text x=\"").append(x).append("\" y=\"").append(bottom + 19).append("\" text-anchor=\"middle\">")
          .append(v).append("</text></g>\n");
    }
    svg.append("<text class=\"axis-label\" x=\"").append(p.left + p.width / 2).append("\" y=\"").append(bottom + 44)
        .append("\" text-anchor=\"middle\">").append(Html.escape(xLabel)).append("</text>\n");
    svg.append("</g>\n");
  }

  private void yAxis(StringBuilder svg, Plot p, double step) {
    svg.append("<g class=\"axis y-axis\">\n");
    svg.append("<line class=\"axis-line\" x1=\"").append(p.left).append("\" y1=\"").append(p.top)
        .append("\" x2=\"").append(p.left).append("\" y2=\"").append(p.top + p.height).append("\"/>\n");
    int ticks = (int) Math.round((p.yMax - p.yMin) / step);
    for (int i = 0; i <= ticks; i++) {
      double v = p.yMin + i * step;
      String y = Html.coordinate(p.y(v));
      String label = tickLabel(v, step);
      svg.append("<g class=\"tick\" data-value=\"").append(label).append("\">")
          .append("<line class=\"grid\" x1=\"").append(p.left).append("\" y1=\"").append(y)
          .append("\" x2=\"").append(p.left + p.width).append("\" y2=\"").append(y).append("\"/>")
          .append("<line x1=\"").append(p.left - 5).append("\" y1=\"").append(y)
          .append("\" x2=\"").append(p.left).append("\" y2=\"").append(y).append("\"/>")
          .append("<text x=\"").append(p.left - 8).append("\" y=\"").append(y)
          .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(label).append("</text></g>\n");
    }
    int cy = p.top + p.height / 2;
    svg.append("<text class=\"axis-label\" x=\"16\" y=\"").append(cy).append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
        .append(cy).append(")\">").append(Html.escape(yLabel)).append("</text>\n");
    svg.append("</g>\n");
  }

  private void band(StringBuilder svg, Plot p, ChartSeries s) {
    double[] v = s.values();
    double[] sd = s.sd();
    var d = new StringBuilder();
    int b = p.xMin;
    while (b < v.length) {
      if (!Double.isFinite(v[b]) || !Double.isFinite(sd[b])) {
        b++;
        continue;
      }
      int end = b;
      while (end + 1 < v.length && Double.isFinite(v[end + 1]) && Double.isFinite(sd[end + 1])) {
        end++;
      }
      for (int k = b; k <= end; k++) {
        d.append(k == b ? 'M' : 'L').append(Html.coordinate(p.x(k))).append(' ').append(Html.coordinate(p.y(v[k] + sd[k])));
      }
      for (int k = end; k >= b; k--) {
        d.append('L').append(Html.coordinate(p.x(k))).append(' ').append(Html.coordinate(p.y(v[k] - sd[k])));
      }
      d.append('Z');
      b = end + 1;
    }
    svg.append("<path class=\"band\" data-policy=\"").append(Html.escape(s.policy())).append("\" fill=\"")
        .append(Html.escape(s.colour())).append("\" fill-opacity=\"0.18\" stroke=\"none\" d=\"").append(d).append("\"/>\n");
  }

  /**
   * The curve as path data; a bucket without a value (NaN) breaks the line, unless
   * {@code bridge}: a reference line known only at some buckets joins the ones it has.
   */
  private static String line(Plot p, double[] values, boolean bridge) {
    var d = new StringBuilder(values.length * 14);
    boolean pen = false;
    for (int b = p.xMin; b < values.length; b++) {
      if (!Double.isFinite(values[b])) {
        pen &= bridge;
        continue;
      }
      d.append(pen ? 'L' : 'M').append(Html.coordinate(p.x(b))).append(' ').append(Html.coordinate(p.y(values[b])));
      pen = true;
    }
    return d.toString();
  }

  private void legend(StringBuilder svg, Plot p) {
    int x = p.left + p.width + 24;
    svg.append("<g class=\"legend\">\n");
    for (int i = 0; i < series.size(); i++) {
      ChartSeries s = series.get(i);
      int y = p.top + 8 + 22 * i;
      svg.append("<g class=\"legend-item\" data-policy=\"").append(Html.escape(s.policy())).append("\">")
          .append("<line x1=\"").append(x).append("\" y1=\"").append(y).append("\" x2=\"").append(x + 22)
          .append("\" y2=\"").append(y).append("\" stroke=\"").append(Html.escape(s.colour()))
          .append(s.dashed() ? "\" stroke-dasharray=\"6 4" : "").append("\" stroke-width=\"3\"/>")
          .append("<text x=\"").append(x + 30).append("\" y=\"").append(y).append("\" dominant-baseline=\"middle\">")
          .append(Html.escape(s.policy())).append("</text></g>\n");
    }
    svg.append("</g>\n");
  }

  /** A step of 1, 2 or 5 times a power of ten that cuts {@code max} into about five ticks. */
  static double niceStep(double max) {
    if (!(max > 0) || !Double.isFinite(max)) {
      return 1;
    }
    double raw = max / Y_TICKS;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / magnitude;
    double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static String tickLabel(double value, double step) {
    if (step >= 1) {
      return String.format(Locale.ROOT, "%d", Math.round(value));
    }
    int decimals = (int) Math.ceil(-Math.log10(step));
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
