package io.flexsched.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Opens the report of a small replay ({@code flex replay --report}) in headless Chromium: the DOM
 * after the page's scripts ran must show every chart with one rendered series per policy, and the
 * screenshot ({@code target/report-screenshot.png}) must show the series' colours.
 */
class ReportBrowserTest {
  private static final List<String> POLICIES = List.of("fgd", "random");
  private static final Pattern TAG = Pattern.compile("<(svg|path|g)\\s([^>]*)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z][\\w:-]*)=\"([^\"]*)\"");

  private static Path target() {
    return Path.of(System.getProperty("basedir", ".")).resolve("target");
  }

  @Test
  void theReportRendersEveryChartWithOneSeriesPerPolicy() throws Exception {
    Path work = Files.createDirectories(target().resolve("report-browser-test"));
    Chromium chromium = Chromium.find(work);
    Path report = work.resolve("report.html");
    var out = new StringWriter();
    var err = new StringWriter();
    int code = FlexCommand.execute(new String[] {"replay", "--policy", String.join(",", POLICIES), "--seeds", "42-43",
        "--quiet", "--report", report.toString()}, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("wrote " + report);

    String dom = chromium.dumpDom(report);
    Files.writeString(work.resolve("report-dom.html"), dom);
    // The built-in cluster has 7 GPU models: allocation, its zoom, fragmentation and one chart per model.
    List<String> charts = List.of(HtmlReport.ALLOCATION_CHART, HtmlReport.ALLOCATION_ZOOM_CHART, HtmlReport.FRAGMENTATION_CHART,
        "utilisation-chart-g2", "utilisation-chart-t4", "utilisation-chart-p100", "utilisation-chart-g3",
        "utilisation-chart-v100m16", "utilisation-chart-v100m32", "utilisation-chart-a10");
    Map<String, List<Map<String, String>>> series = seriesByChart(dom);
    assertThat(series.keySet()).containsExactlyInAnyOrderElementsOf(charts);
    for (String chart : charts) {
      List<Map<String, String>> paths = series.get(chart);
      assertThat(paths).extracting(p -> p.get("data-policy")).as(chart).containsExactlyElementsOf(POLICIES);
      for (Map<String, String> p : paths) {
        // Set by the page's script from the laid-out geometry: the browser drew a line of some length.
        assertThat(p.get("data-rendered-length")).as(chart + " " + p.get("data-policy") + " rendered").isNotNull();
        assertThat(Double.parseDouble(p.get("data-rendered-length"))).as(chart + " length").isGreaterThan(100);
        assertThat(p.get("data-rendered-box")).as(chart + " box").matches("[1-9]\\d*\\.\\dx\\d+\\.\\d");
      }
    }
    assertThat(dom).contains("data-rendered-charts=\"" + charts.size() + "\"")
        .contains("data-rendered-series=\"" + charts.size() * POLICIES.size() + "\"");

    Path png = target().resolve("report-screenshot.png");
    chromium.screenshot(report, png, 1400, 2000);
    assertThat(png).isRegularFile();
    assertThat(Files.size(png)).isGreaterThan(20_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("the screenshot decodes").isNotNull();
    assertThat(image.getWidth()).isEqualTo(1400);
    assertThat(image.getHeight()).isEqualTo(2000);
    assertThat(Pixels.distinctColours(image)).as("not a blank page").isGreaterThan(50);
    for (int i = 0; i < POLICIES.size(); i++) {
      assertThat(Pixels.near(image, Palette.colour(i), 24)).as(POLICIES.get(i) + "'s colour on screen").isGreaterThan(500);
    }
  }

  /** The attributes of each {@code path.series}, per enclosing {@code svg} id, in document order. */
  private static Map<String, List<Map<String, String>>> seriesByChart(String dom) {
    Map<String, List<Map<String, String>>> out = new HashMap<>();
    String chart = null;
    Matcher tag = TAG.matcher(dom);
    while (tag.find()) {
      Map<String, String> attributes = new HashMap<>();
      Matcher a = ATTRIBUTE.matcher(tag.group(2));
      while (a.find()) {
        attributes.put(a.group(1), a.group(2));
      }
      if (tag.group(1).equals("svg")) {
        chart = attributes.get("id");
        out.put(chart, new ArrayList<>());
      } else if (tag.group(1).equals("path") && "series".equals(attributes.get("class")) && chart != null) {
        out.get(chart).add(attributes);
      }
    }
    return out;
  }
}
