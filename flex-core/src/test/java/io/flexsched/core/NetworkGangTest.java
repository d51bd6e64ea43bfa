package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Gangs under a network between racks: the weakest link between two members' nodes is the best
 * the cluster allows (checked against a brute force over every placement), never below the gang's
 * minimum bandwidth, and a gang that cannot meet it changes nothing.
 */
class NetworkGangTest {
  private static final List<String> RACKS = List.of("r1", "r2", "r3", "r4");
  // r1-r2 are close, r3 a step away from both, r4 far from everything.
  private static final LinkMatrix BANDWIDTH = LinkMatrix.of(new int[][] {
      {0, 100, 50, 10}, {100, 0, 50, 10}, {50, 50, 0, 10}, {10, 10, 10, 0}});

  private static Node node(String name, String rack, int gpus) {
    return Node.builder(name).cpuMilli(64_000).memoryMiB(262_144).devices(io.flexsched.model.DeviceCatalogue.builtIn().require("V100M16"), gpus)
        .labels(Map.of("rack", rack)).build();
  }

  private static List<Node> cluster() {
    var nodes = new ArrayList<Node>();
    for (String rack : RACKS) {
      nodes.add(node(rack + "-a", rack, 4));
      nodes.add(node(rack + "-b", rack, 4));
    }
    return nodes;
  }

  private static List<Task> gang(String name, int members, int gpus, int minBandwidth) {
    Gang g = new Gang(name, members, null, false, minBandwidth);
    var out = new ArrayList<Task>();
    for (int i = 0; i < members; i++) {
      out.add(Task.builder(name + "-" + i).cpuMilli(1_000).memoryMiB(1_024).gang(g)
          .accelerators(AcceleratorRequest.whole(gpus)).build());
    }
    return out;
  }

  private static Task single(String id, int gpus) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus)).build();
  }

  private static Task inRack(String id, String rack) {
    return single(id, 4).toBuilder().nodeSelector(Map.of("rack", rack)).build();
  }

  private static Set<String> racksOf(Scheduler s, List<Task> members) {
    var racks = new TreeSet<String>();
    for (Task t : members) {
      String node = s.cluster().assignment(t.id()).map(Assignment::node).orElseThrow();
      racks.add(node.substring(0, node.indexOf('-')));
    }
    return racks;
  }

  private static Scheduler scheduler(List<Node> nodes) {
    return Scheduler.builder().policy("bestfit").seed(3).assertMode(true).nodes(nodes).noPreemption()
        .network("rack", RACKS, BANDWIDTH).build();
  }

  @Test
  void aGangThatFitsInOneRackStaysInOne() {
    Scheduler s = scheduler(cluster());
    List<Task> g = gang("g", 2, 4, 0);
    Outcome o = s.place(g);
    assertThat(o.placed()).isTrue();
    assertThat(racksOf(s, g)).hasSize(1);
  }

  @Test
  void aGangTooLargeForOneRackTakesTheBestLinkedPair() {
    Scheduler s = scheduler(cluster());
    List<Task> g = gang("g", 3, 4, 0);
    Outcome o = s.place(g);
    assertThat(o.placed()).isTrue();
    assertThat(racksOf(s, g)).containsExactly("r1", "r2");
    assertThat(((Outcome.Placed) o).domain()).isEqualTo("r1+r2");
  }

  @Test
  void whenTheBestPairIsFullTheNextBestLinkedRacksServe() {
    Scheduler s = scheduler(cluster());
    assertThat(s.place(inRack("fill-r2a", "r2")).placed()).isTrue();
    assertThat(s.place(inRack("fill-r2b", "r2")).placed()).isTrue();
    List<Task> g = gang("g", 3, 4, 0);
    assertThat(s.place(g).placed()).isTrue();
    // r1 with r3 (50) beats anything with r4 (10).
    assertThat(racksOf(s, g)).containsExactly("r1", "r3");
  }

  @Test
  void aGangBelowItsMinimumBandwidthWaitsAndNothingChanges() {
    Scheduler s = scheduler(cluster());
    assertThat(s.place(inRack("fill-r2a", "r2")).placed()).isTrue();
    assertThat(s.place(inRack("fill-r2b", "r2")).placed()).isTrue();
    long before = s.cluster().allocatedMilli();
    List<Task> g = gang("g", 3, 4, 60);
    Outcome o = s.place(g);
    assertThat(o).isInstanceOf(Outcome.Pending.class);
    assertThat(((Outcome.Pending) o).reasons()).containsKey(RejectReason.BANDWIDTH);
    assertThat(s.cluster().allocatedMilli()).isEqualTo(before);
    for (Task t : g) {
      assertThat(s.cluster().assignment(t.id())).isEmpty();
    }
    // At 50 the same gang fits, in r1 and r3.
    List<Task> relaxed = gang("h", 3, 4, 50);
    assertThat(s.place(relaxed).placed()).isTrue();
    assertThat(racksOf(s, relaxed)).containsExactly("r1", "r3");
  }

  @Test
  void aMinimumBandwidthWithoutANetworkIsRejectedNamingIt() {
    Scheduler s = Scheduler.builder().policy("bestfit").nodes(cluster()).noPreemption().build();
    assertThatThrownBy(() -> s.place(gang("g", 2, 1, 10)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gang g minBandwidth").hasMessageContaining("network");
    assertThatThrownBy(() -> Scheduler.builder().network("rack", List.of("r1", "r1"), LinkMatrix.uniform(2, 5)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("network.domains");
    assertThatThrownBy(() -> Scheduler.builder().network("rack", List.of("r1"), LinkMatrix.uniform(2, 5)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("network.bandwidth");
    assertThatThrownBy(() -> new Gang("g", 2, null, false, -1))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gang.minBandwidth");
  }

  @Test
  void theWeakestLinkIsTheBestAnyPlacementAchieves() {
    // Equal members (g whole GPUs each) pack greedily without loss, so the engine's weakest link
    // must equal the brute-force optimum over every assignment of members to nodes.
    for (long seed = 1; seed <= 300; seed++) {
      var random = new SplittableRandom(seed);
      int racks = 2 + random.nextInt(4);
      var names = new ArrayList<String>();
      int[][] bw = new int[racks][racks];
      int[] levels = {10, 20, 50, 100};
      for (int i = 0; i < racks; i++) {
        names.add("r" + i);
        for (int j = 0; j < i; j++) {
          bw[i][j] = bw[j][i] = levels[random.nextInt(levels.length)];
        }
      }
      var nodes = new ArrayList<Node>();
      var rackOf = new HashMap<String, Integer>();
      for (int i = 0; i < racks; i++) {
        int count = 1 + random.nextInt(2);
        for (int k = 0; k < count; k++) {
          String name = "r" + i + "-" + k;
          nodes.add(node(name, "r" + i, 1 + random.nextInt(4)));
          rackOf.put(name, i);
        }
      }
      Scheduler s = Scheduler.builder().policy("bestfit").seed(seed).assertMode(true).nodes(nodes).noPreemption()
          .network("rack", names, LinkMatrix.of(bw)).build();
      for (int i = 0, load = random.nextInt(4); i < load; i++) {
        s.place(single("load-" + i, 1));
      }
      var free = new HashMap<String, Integer>();
      for (Node n : nodes) {
        int used = 0;
        for (Task t : s.cluster().node(n.name()).tasks()) {
          used += t.accelerators().count();
        }
        free.put(n.name(), n.devices().size() - used);
      }
      int members = 2 + random.nextInt(3);
      int gpus = 1 + random.nextInt(2);
      int minBandwidth = random.nextInt(3) == 0 ? levels[random.nextInt(levels.length)] : 0;
      int best = bruteForce(nodes, free, rackOf, bw, members, gpus, minBandwidth);
      List<Task> g = gang("g" + seed, members, gpus, minBandwidth);
      Outcome o = s.place(g);
      String where = "seed " + seed + ": racks " + racks + ", bw " + java.util.Arrays.deepToString(bw) + ", free " + free
          + ", " + members + " x " + gpus + " GPUs, min " + minBandwidth;
      if (best < 0) {
        assertThat(o.placed()).as(where).isFalse();
        continue;
      }
      assertThat(o.placed()).as(where).isTrue();
      var chosen = new ArrayList<Integer>();
      for (Assignment a : ((Outcome.Placed) o).assignments()) {
        chosen.add(rackOf.get(a.node()));
      }
      assertThat(weakest(chosen, bw)).as(where).isEqualTo(best);
    }
  }

  /** The best weakest link of any placement of the members at or above the minimum; -1 for none. */
  private static int bruteForce(List<Node> nodes, Map<String, Integer> free, Map<String, Integer> rackOf, int[][] bw,
      int members, int gpus, int minBandwidth) {
    int[] best = {-1};
    search(nodes, new HashMap<>(free), rackOf, bw, members, gpus, minBandwidth, new ArrayList<>(), best);
    return best[0];
  }

  private static void search(List<Node> nodes, Map<String, Integer> free, Map<String, Integer> rackOf, int[][] bw,
      int left, int gpus, int minBandwidth, List<Integer> racks, int[] best) {
    if (left == 0) {
      int w = weakest(racks, bw);
      if (w >= minBandwidth) {
        best[0] = Math.max(best[0], w);
      }
      return;
    }
    for (Node n : nodes) {
      if (free.get(n.name()) >= gpus) {
        free.merge(n.name(), -gpus, Integer::sum);
        racks.add(rackOf.get(n.name()));
        search(nodes, free, rackOf, bw, left - 1, gpus, minBandwidth, racks, best);
        racks.remove(racks.size() - 1);
        free.merge(n.name(), gpus, Integer::sum);
      }
    }
  }

  private static int weakest(List<Integer> racks, int[][] bw) {
    int w = Integer.MAX_VALUE;
    Set<Integer> distinct = new HashSet<>(racks);
    for (int a : distinct) {
      for (int b : distinct) {
        if (a != b) {
          w = Math.min(w, bw[a][b]);
        }
      }
    }
    return w;
  }
}
