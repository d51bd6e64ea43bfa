package io.flexsched.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's example is this module's code, compiled and run here, so it cannot rot. */
class EmbedExampleTest {
  private static List<String> between(List<String> lines, String start, String end) {
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(start)) {
        from = i + 1;
      } else if (from >= 0 && lines.get(i).contains(end)) {
        return lines.subList(from, i).stream().map(String::strip).toList();
      }
    }
    throw new AssertionError("no " + start + " ... " + end + " block");
  }

  @Test
  void theReadmeShowsExactlyThisExample() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("..", "..", "README.md"));
    List<String> source = Files.readAllLines(Path.of("src/main/java/io/flexsched/examples/EmbedExample.java"));
    List<String> shown = between(readme, "<!-- embed-example:start -->", "<!-- embed-example:end -->");
    assertThat(shown.subList(1, shown.size() - 1)).as("README's code block").isEqualTo(between(source, "// README:start", "// README:end"));
  }

  @Test
  void theExampleRunsAndPlacesAsDescribed() {
    var bytes = new ByteArrayOutputStream();
    EmbedExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> out = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(out).hasSize(3);
    // On g2-0 the share would leave 7 whole GPUs: the 8-GPU shape no longer fits, so all 7,500 free
    // milli count as fragment for it; on a10-0 nothing typical is lost that was not lost already.
    assertThat(out.get(0)).isEqualTo(
        "Assignment[task=infer-1, node=a10-0, slices=[Slice[device=0, milli=500, memoryMiB=8192, profile=null, start=-1]]]");
    assertThat(out.get(1)).startsWith("Assignment[task=train-1, node=g2-0, slices=[Slice[device=0, milli=1000");
    assertThat(out.get(2)).isEqualTo("allocated 8000 of 9000 milli-GPU");
  }
}
