package io.flexsched.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.replay.PaperReplay;
import io.flexsched.sim.replay.PolicySummary;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {
  @TempDir Path dir;

  /** The {@code <svg>} element with this id, parsed as XML (which also proves it well-formed). */
  private static Document svg(String html, String id) throws Exception {
    Matcher m = Pattern.compile("<svg [^>]*id=\"" + Pattern.quote(id) + "\".*?</svg>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("svg#" + id).isTrue();
    var factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(m.group())));
  }

  private static NodeList select(Document doc, String xpath) throws Exception {
    return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
  }

  private static List<String> policies(Document doc, String xpath) throws Exception {
    NodeList nodes = select(doc, xpath);
    var out = new ArrayList<String>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(((Element) nodes.item(i)).getAttribute("data-policy"));
    }
    return out;
  }

  @Test
  void theAllocationChartHasOneSeriesBandAndLegendEntryPerPolicyAxesAndATitle() throws Exception {
    String html = HtmlReport.render(SyntheticReports.report("built-in", "bestfit", "fgd", "random"));
    Document chart = svg(html, HtmlReport.ALLOCATION_CHART);
    assertThat(policies(chart, "//*[local-name()='path'][@class='series']")).containsExactly("bestfit", "fgd", "random");
    assertThat(policies(chart, "//*[local-name()='path'][@class='band']")).containsExactly("bestfit", "fgd", "random");
    assertThat(policies(chart, "//*[local-name()='g'][@class='legend-item']")).containsExactly("bestfit", "fgd", "random");
    assertThat(chart.getDocumentElement().getAttribute("data-series-count")).isEqualTo("3");
    assertThat(chart.getDocumentElement().getAttribute("data-metric")).isEqualTo("allocation");
    // x: 0..130 every 10; y: 0..100 every 20; both axes labelled; a title for eyes and one for screen readers.
    assertThat(tickValues(chart, "x-axis")).containsExactly("0", "10", "20", "30", "40", "50", "60", "70", "80", "90",
        "100", "110", "120", "130");
    assertThat(tickValues(chart, "y-axis")).containsExactly("0", "20", "40", "60", "80", "100");
    assertThat(select(chart, "//*[local-name()='text'][@class='axis-label']").getLength()).isEqualTo(2);
    assertThat(select(chart, "//*[local-name()='text'][@class='chart-title']").item(0).getTextContent())
        .isEqualTo("GPU allocation against arrived GPU demand: built-in");
    assertThat(select(chart, "/*/*[local-name()='title']").item(0).getTextContent()).contains("GPU allocation");
    // Every bucket is a point of the line: one move and 130 line-tos.
    String d = ((Element) select(chart, "//*[local-name()='path'][@class='series']").item(1)).getAttribute("d");
    assertThat(d).startsWith("M").doesNotContain("NaN");
    assertThat(d.chars().filter(c -> c == 'L').count()).isEqualTo(PaperReplay.MAX_BUCKET);
  }

  private static List<String> tickValues(Document chart, String axis) throws Exception {
    NodeList ticks = select(chart, "//*[local-name()='g'][@class='axis " + axis + "']/*[local-name()='g'][@class='tick']");
    var out = new ArrayList<String>();
    for (int i = 0; i < ticks.getLength(); i++) {
      out.add(((Element) ticks.item(i)).getAttribute("data-value"));
    }
    return out;
  }

  @Test
  void fragmentationAndEachModelGetAChartWithEverySeries() throws Exception {
    String html = HtmlReport.render(SyntheticReports.report("built-in", "fgd", "random"));
    Document frag = svg(html, HtmlReport.FRAGMENTATION_CHART);
    assertThat(policies(frag, "//*[local-name()='path'][@class='series']")).containsExactly("fgd", "random");
    // The data reach 10 + 65 + 1 = 76: the axis is rounded up to the next tick of 20.
    assertThat(tickValues(frag, "y-axis")).containsExactly("0", "20", "40", "60", "80");
    for (String model : List.of("t4", "g2")) {
      Document chart = svg(html, HtmlReport.UTILISATION_CHART_PREFIX + model);
      assertThat(policies(chart, "//*[local-name()='path'][@class='series']")).containsExactly("fgd", "random");
      assertThat(chart.getDocumentElement().getAttribute("data-model")).isEqualToIgnoringCase(model);
    }
    // Allocation, its zoom, fragmentation and two models.
    assertThat(count(html, "<svg ")).isEqualTo(5);
    assertThat(count(html, "<path class=\"series\"")).isEqualTo(5 * 2);
    assertThat(html).contains("<table id=\"allocation-table\">").contains("<tr data-policy=\"fgd\">");
  }

  @Test
  void theZoomedPanelShowsOnlyEightyToOneThirtyOnAnAxisFittedToTheData() throws Exception {
    String html = HtmlReport.render(SyntheticReports.report("built-in", "fgd", "random"));
    Document zoom = svg(html, HtmlReport.ALLOCATION_ZOOM_CHART);
    assertThat(policies(zoom, "//*[local-name()='path'][@class='series']")).containsExactly("fgd", "random");
    assertThat(tickValues(zoom, "x-axis")).containsExactly("80", "85", "90", "95", "100", "105", "110", "115", "120",
        "125", "130");
    // Plateaus at 85 and 87 with sd 0.5 and arrivals from 80 on: the data span 79.5..87.5.
    List<String> y = tickValues(zoom, "y-axis");
    assertThat(Double.parseDouble(y.get(0))).isLessThanOrEqualTo(79.5).isGreaterThan(60);
    assertThat(Double.parseDouble(y.get(y.size() - 1))).isGreaterThanOrEqualTo(87.5).isLessThan(100);
    // Buckets 80..130 only: one move and 50 line-tos.
    String d = ((Element) select(zoom, "//*[local-name()='path'][@class='series']").item(0)).getAttribute("d");
    assertThat(d.chars().filter(c -> c == 'L').count()).isEqualTo(PaperReplay.MAX_BUCKET - HtmlReport.ZOOM_FROM);
    assertThat(zoom.getDocumentElement().getAttribute("data-zoom")).isEqualTo("80-130");
  }

  @Test
  void aBoundIsADashedLineInBothAllocationChartsAndARowOfTheTable() throws Exception {
    double[] bound = SyntheticReports.saturating(97.5);
    for (int b = 0; b < 90; b++) {
      bound[b] = Double.NaN;
    }
    ReplayReport report = SyntheticReports.report("built-in", "fgd").withBound(bound);
    String html = HtmlReport.render(report);
    for (String id : List.of(HtmlReport.ALLOCATION_CHART, HtmlReport.ALLOCATION_ZOOM_CHART)) {
      Document chart = svg(html, id);
      assertThat(policies(chart, "//*[local-name()='path'][@class='series']")).containsExactly("fgd", HtmlReport.BOUND);
      Element line = (Element) select(chart, "//*[local-name()='path'][@data-policy='" + HtmlReport.BOUND + "']").item(0);
      assertThat(line.getAttribute("stroke-dasharray")).isNotEmpty();
      assertThat(line.getAttribute("d").chars().filter(c -> c == 'L').count()).isEqualTo(PaperReplay.MAX_BUCKET - 90);
      Element fgd = (Element) select(chart, "//*[local-name()='path'][@data-policy='fgd']").item(0);
      assertThat(fgd.getAttribute("stroke-dasharray")).isEmpty();
    }
    assertThat(html).contains("<tr data-policy=\"upper bound\"><th scope=\"row\">upper bound</th><td>&ndash;</td>"
        + "<td>90.00</td><td>97.50</td>");
    assertThat(HtmlReport.render(SyntheticReports.report("built-in", "fgd"))).doesNotContain(HtmlReport.BOUND);
    assertThat(AllocationPng.chart(report).getSeriesMap()).containsKeys("fgd", HtmlReport.BOUND);
  }

  @Test
  void theReportIsOneDocumentThatLoadsNothing() {
    String html = HtmlReport.render(SyntheticReports.report("built-in", "fgd"));
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(count(html, "<html")).isEqualTo(1);
    assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    // The only URLs are the SVG namespace (a name, never fetched) and references to the page's own clip paths.
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:").doesNotContain("https:")
        .doesNotContain("//cdn").doesNotContain("<link").doesNotContain("@import").doesNotContain("src=")
        .doesNotContain("@font-face");
    assertThat(html.replaceAll("url\\(#[a-z0-9-]+\\)", "")).doesNotContain("url(");
  }

  @Test
  void namesAreEscapedInTextAndAttributes() throws Exception {
    String evil = "<script>alert(\"x&y\")</script>'";
    String html = HtmlReport.render(SyntheticReports.report(evil, evil, "fgd"));
    assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;");
    assertThat(count(html, "<script>")).isEqualTo(1);
    Document chart = svg(html, HtmlReport.ALLOCATION_CHART);
    // Parsed back, the escaped attribute is the name again.
    assertThat(policies(chart, "//*[local-name()='path'][@class='series']")).containsExactly(evil, "fgd");
    assertThat(Html.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
  }

  @Test
  void modelNamesBecomeDistinctIdTokens() {
    assertThat(Html.token("V100M16")).isEqualTo("v100m16");
    assertThat(Html.token("A100 40GB")).isEqualTo("a100-40gb");
    assertThat(Html.token("  <Ascend>910B3 ")).isEqualTo("ascend-910b3");
    assertThat(Html.token("!!")).isEqualTo("x");
    ReplayReport base = SyntheticReports.report("w", "fgd");
    PolicySummary s = base.summaries().get(0);
    var clash = new PolicySummary(s.policy(), s.workload(), s.seeds(), s.allocationMean(), s.allocationSd(),
        s.fragmentationMean(), Map.of("A-B", SyntheticReports.saturating(50), "A/B", SyntheticReports.saturating(60)), 1);
    var devices = new LinkedHashMap<String, Integer>();
    devices.put("A-B", 1);
    devices.put("A/B", 1);
    var report = new ReplayReport("w", 1, 2, 3, devices, List.of(clash));
    assertThat(HtmlReport.utilisationCharts(report)).extracting(LineChart::id)
        .containsExactly("utilisation-chart-a-b", "utilisation-chart-a-b-2");
  }

  @Test
  void aMissingValueBreaksTheLineInsteadOfDrawingZero() throws Exception {
    double[] values = SyntheticReports.saturating(90);
    values[60] = Double.NaN;
    values[61] = Double.NaN;
    var chart = new LineChart("c", "t", "x", "y", 800, 400, 100, Map.of(), List.of(
        new ChartSeries("fgd", "#000000", values, null)));
    var factory = DocumentBuilderFactory.newInstance();
    Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(chart.svg())));
    String d = ((Element) doc.getElementsByTagName("path").item(0)).getAttribute("d");
    assertThat(d.chars().filter(c -> c == 'M').count()).isEqualTo(2);
    assertThat(d.chars().filter(c -> c == 'L').count()).isEqualTo(PaperReplay.MAX_BUCKET - 2 - 1);
    assertThat(LineChart.niceStep(76)).isEqualTo(20);
    assertThat(LineChart.niceStep(3.2)).isEqualTo(1);
    assertThat(LineChart.niceStep(0.4)).isEqualTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(LineChart.niceStep(0)).isEqualTo(1);
  }

  @Test
  void writesTheFileAndRejectsAMissingDirectoryWithTheOptionsName() throws IOException {
    ReplayReport report = SyntheticReports.report("built-in", "fgd");
    Path file = dir.resolve("out.html");
    HtmlReport.write(report, file);
    assertThat(Files.readString(file)).isEqualTo(HtmlReport.render(report));
    assertThatThrownBy(() -> HtmlReport.write(report, dir.resolve("missing").resolve("out.html")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("--report must be in an existing directory, was ");
    assertThatThrownBy(() -> HtmlReport.requireWritable(dir))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("must be a file, not a directory");
  }

  @Test
  void theSameResultsGiveTheSameBytes() {
    assertThat(HtmlReport.render(SyntheticReports.report("w", "fgd", "random")))
        .isEqualTo(HtmlReport.render(SyntheticReports.report("w", "fgd", "random")));
    assertThat(Arrays.asList(HtmlReport.render(SyntheticReports.report("w", "fgd")).split("\n")))
        .noneMatch(line -> line.contains("NaN") || line.contains("Infinity"));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
