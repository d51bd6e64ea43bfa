package io.flexsched.sim.report;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.replay.PolicySummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The allocation chart of a replay report (GPU allocation % against arrived GPU demand, one line
 * per policy, as in Fig. 9 of the FGD paper) as a PNG, drawn with XChart without a display.
 */
public final class AllocationPng {
  /** The file written into the chosen directory. */
  public static final String FILE_NAME = "allocation.png";
  /** The image's width in pixels. */
  public static final int WIDTH = 1000;
  /** The image's height in pixels. */
  public static final int HEIGHT = 600;

  private AllocationPng() {}

  /**
   * Draws the chart into {@code dir}/{@value #FILE_NAME}, replacing any file there.
   *
   * @return the file written
   * @throws InvalidSpecException if {@code dir} is not a writable directory
   */
  public static Path write(ReplayReport report, Path dir) {
    requireDirectory(dir);
    Path file = dir.resolve(FILE_NAME);
    XYChart chart = chart(report);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new InvalidSpecException("--png", dir, "must be a writable directory (" + e.getMessage() + ")");
    }
    return file;
  }

  /** The chart as an image, {@value #WIDTH} by {@value #HEIGHT} pixels. */
  public static BufferedImage image(ReplayReport report) {
    return BitmapEncoder.getBufferedImage(chart(report));
  }

  /**
   * Checks, before a long replay, that {@code dir} is a writable directory.
   *
   * @throws InvalidSpecException naming {@code --png} otherwise
   */
  public static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidSpecException("--png", dir, "must be an existing directory");
    }
    if (!Files.isWritable(dir)) {
      throw new InvalidSpecException("--png", dir, "must be a writable directory");
    }
  }

  static XYChart chart(ReplayReport report) {
    // The chart is drawn off screen; without this AWT would look for a display on some systems.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    int seeds = report.seeds().size();
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("GPU allocation against arrived GPU demand: " + report.workload()
            + (seeds == 1 ? ", 1 seed" : ", mean of " + seeds + " seeds"))
        .xAxisTitle("Arrived GPU demand (% of cluster GPU capacity)")
        .yAxisTitle("GPU allocation (% of capacity)")
        .build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.InsideSE);
    styler.setLegendBorderColor(new Color(0xdddddd));
    styler.setAntiAlias(true);
    chart.getStyler().setPlotGridLinesColor(new Color(0xe4e4e4));
    chart.getStyler().setPlotBorderColor(new Color(0x999999));
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(130.0).setYAxisMin(0.0).setYAxisMax(100.0);
    chart.getStyler().setXAxisDecimalPattern("0").setYAxisDecimalPattern("0");
    // Buckets are equally spaced, so XChart puts a tick on every 4th: label the round ones only.
    chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.rint(x) % 20 == 0 ? String.valueOf(Math.round(x)) : "");
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    List<PolicySummary> summaries = report.summaries();
    for (int i = 0; i < summaries.size(); i++) {
      addLine(chart, summaries.get(i).policy(), summaries.get(i).allocationMean(), Palette.colour(i),
          new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    if (report.bound() != null) {
      addLine(chart, HtmlReport.BOUND, report.bound(), new Color(0x222222),
          new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f));
    }
    return chart;
  }

  /** One line of per-bucket values; buckets without a value are left out. */
  private static void addLine(XYChart chart, String name, double[] values, Color colour, BasicStroke stroke) {
    var x = new ArrayList<Double>();
    var y = new ArrayList<Double>();
    for (int b = 0; b < values.length; b++) {
      if (Double.isFinite(values[b])) {
        x.add((double) b);
        y.add(values[b]);
      }
    }
    if (x.isEmpty()) {
      return;
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(colour);
    series.setLineStyle(stroke);
  }
}
