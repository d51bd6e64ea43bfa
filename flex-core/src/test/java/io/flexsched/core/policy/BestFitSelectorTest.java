package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Best-fit device choice, the standard device rules' (what a policy's default
 * {@code selectDevices} uses): a share goes to the fitting GPU with the least free milli (ties to
 * the lowest index); whole GPUs are the lowest-index idle ones.
 */
class BestFitSelectorTest {
  private record Selected(boolean ok, List<Integer> devices) {}

  private static Selected select(Task task, NodeView v) {
    var choice = new DeviceChoice();
    boolean ok = v.deviceRules().select(task, v, choice);
    return new Selected(ok, devices(choice));
  }

  /** n1: 4×G2 with free [300, 100, 600, 1000]. */
  private static NodeView fragmentedNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 700), "n1", 0, 700);
    place(e, share("s2", 1000, 900), "n1", 1, 900);
    place(e, share("s3", 1000, 400), "n1", 2, 400);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 300, 100, 600, 1000);
    return v;
  }

  @Test
  void shareGoesToTheFittingGpuWithLeastFree() {
    NodeView v = fragmentedNode();
    // 50 fits all; least free is GPU1 (100)
    assertThat(select(share("a", 1000, 50), v)).isEqualTo(new Selected(true, List.of(1)));
    // 250 fits GPU0 (300), GPU2 (600), GPU3 (1000); least is GPU0
    assertThat(select(share("b", 1000, 250), v)).isEqualTo(new Selected(true, List.of(0)));
    // 300 = GPU0's free: fits exactly → GPU0
    assertThat(select(share("c", 1000, 300), v)).isEqualTo(new Selected(true, List.of(0)));
    // 301 fits GPU2, GPU3 → GPU2
    assertThat(select(share("d", 1000, 301), v)).isEqualTo(new Selected(true, List.of(2)));
    // 700 fits GPU3 only
    assertThat(select(share("e", 1000, 700), v)).isEqualTo(new Selected(true, List.of(3)));
  }

  @Test
  void shareTiesGoToTheLowestIndex() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView idle = e.cluster().node("n1");
    // all four have 1000 free → GPU0
    assertThat(select(share("a", 1000, 500), idle)).isEqualTo(new Selected(true, List.of(0)));

    place(e, share("s1", 1000, 900), "n1", 0, 900); // GPU0: 100 free
    place(e, shares("s2", 1000, 2, 400), "n1", 1, 400, 2, 400); // GPUs 1, 2: 600 free each
    NodeView v = e.cluster().node("n1");
    assertFree(v, 100, 600, 600, 1000);
    // 300: GPU1 and GPU2 tie at 600 → GPU1
    assertThat(select(share("b", 1000, 300), v)).isEqualTo(new Selected(true, List.of(1)));
  }

  @Test
  void multiDeviceShareTakesTheLeastFreeDevicesInIndexOrder() {
    NodeView v = fragmentedNode();
    // 2×200: fitting GPU0 (300), GPU2 (600), GPU3 (1000) → the two least: GPU0, GPU2
    assertThat(select(shares("a", 1000, 2, 200), v)).isEqualTo(new Selected(true, List.of(0, 2)));
    // 2×700: only GPU3 fits → cannot be hosted
    assertThat(select(shares("b", 1000, 2, 700), v).ok()).isFalse();
  }

  @Test
  void wholeGpusAreTheLowestIndexIdleOnes() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 5));
    place(e, whole("w0", 1000, 1), "n1", 0, 1000);
    place(e, whole("w1", 1000, 1), "n1", 1, 1000);
    place(e, whole("w2", 1000, 1), "n1", 2, 1000);
    e.release("w1"); // GPU1 idle again, between used GPU0 and GPU2
    NodeView v = e.cluster().node("n1");
    assertFree(v, 0, 1000, 0, 1000, 1000);
    assertThat(select(whole("a", 1000, 1), v)).isEqualTo(new Selected(true, List.of(1)));
    assertThat(select(whole("b", 1000, 2), v)).isEqualTo(new Selected(true, List.of(1, 3)));
    assertThat(select(whole("c", 1000, 3), v)).isEqualTo(new Selected(true, List.of(1, 3, 4)));
    assertThat(select(whole("d", 1000, 4), v).ok()).isFalse();
  }

  @Test
  void wholeGpuSkipsPartlyUsedGpusEvenWithMostlyFreeCompute() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 3));
    place(e, share("s1", 1000, 1), "n1", 0, 1); // GPU0: 999 free, not idle
    NodeView v = e.cluster().node("n1");
    assertThat(select(whole("a", 1000, 1), v)).isEqualTo(new Selected(true, List.of(1)));
    assertThat(select(whole("b", 1000, 2), v)).isEqualTo(new Selected(true, List.of(1, 2)));
  }

  @Test
  void disallowedModelsAreSkipped() {
    Node mixed = Node.builder("m1").cpuMilli(32_000).memoryMiB(1_048_576).devices(G2, 2).devices(T4, 2).build();
    PlacementEngine e = engine(mixed);
    place(e, share("s1", 1000, 800), "m1", 0, 800); // GPU0 (G2): 200 free
    NodeView v = e.cluster().node("m1");
    // a share on T4 only: GPU0 (G2, 200 free) is the least free but not allowed → GPU2 (first T4)
    Task onT4 = Task.builder("t").cpuMilli(1000).memoryMiB(1)
        .accelerators(AcceleratorRequest.share(1, 100, 0).onModels(Set.of("T4"))).build();
    assertThat(select(onT4, v)).isEqualTo(new Selected(true, List.of(2)));
    // any model: GPU0
    assertThat(select(share("u", 1000, 100), v)).isEqualTo(new Selected(true, List.of(0)));
  }

  @Test
  void cpuOnlyTaskTakesNothing() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 2));
    assertThat(select(cpuOnly("c", 1000), e.cluster().node("n1"))).isEqualTo(new Selected(true, List.of()));
  }
}
