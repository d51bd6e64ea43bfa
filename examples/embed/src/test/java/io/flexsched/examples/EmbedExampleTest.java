package io.flexsched.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The README's examples are this module's code, compiled and run here, so they cannot rot. */
class EmbedExampleTest {
  private static List<String> run(Consumer<PrintStream> example) {
    var bytes = new ByteArrayOutputStream();
    example.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void theReadmeShowsExactlyTheseExamples() {
    assertThat(Readme.block("hello-example")).as("README's hello world").isEqualTo(Readme.example("HelloFlex"));
    assertThat(Readme.block("embed-example")).as("README's embedding example").isEqualTo(Readme.example("EmbedExample"));
  }

  @Test
  void helloWorldPlacesTheShareOnTheOnlyNode() {
    assertThat(run(HelloFlex::run)).containsExactly(
        "placed: Assignment[task=infer-1, node=g2-0, slices=[Slice[device=0, milli=500, memoryMiB=8192, profile=null, start=-1]]]");
  }

  @Test
  void theEmbeddingExampleRunsAndDecidesAsDescribed() {
    List<String> out = run(EmbedExample::run);
    assertThat(out).hasSize(5);
    // FGD's fragmentation would grow by 200 milli on g2-0 (half a GPU the one- and four-GPU shapes
    // can no longer use) and not at all on a10-0 (what the one-GPU shape loses there, the four-GPU
    // shape, which never fit on one device, stops counting).
    assertThat(out.get(0)).isEqualTo(
        "placed Assignment[task=infer-1, node=a10-0, slices=[Slice[device=0, milli=500, memoryMiB=8192, profile=null, start=-1]]]");
    assertThat(out.get(1)).isEqualTo("placed 2 tasks of gang job-1");
    // training holds 8 GPUs; 4 more would make 12, above its limit of 8.
    assertThat(out.get(2)).startsWith("train-2 waits: queue-limit, queue training would hold {gpuMilli=12000");
    // job-1-1 still holds 4 of g2-0's 8 GPUs: an 8-GPU task lacks 4 whole devices there.
    assertThat(out.get(3)).isEqualTo(
        "nearest miss: NearMiss[node=g2-0, reason=INSUFFICIENT_DEVICE_SHARE, lacks={gpus=4, gpuMilli=4000}, distance=0.5]");
    assertThat(out.get(4)).isEqualTo("allocated 4500 of 9000 milli-GPU");
  }
}
