package io.flexsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Outcome;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.Scheduler;
import io.flexsched.core.TieBreak;
import io.flexsched.core.Transaction;
import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Score-index lines are bounded by the memory they take: a line evicted is built again from
 * scratch when its shape comes back, and must give the decisions it would have given had it been
 * kept. An engine whose lines barely fit one at a time is run beside one that keeps every line.
 */
class ScoreIndexEvictionTest {

  @Test
  void linesStayWithinTheirBudgetAndAnEvictedOneStartsAfresh() {
    long budget = 10_000;
    ScoreIndex.lineBytesForTests = budget;
    ScoreIndex index;
    try {
      index = new ScoreIndex();
    } finally {
      ScoreIndex.lineBytesForTests = 0;
    }
    var first = new ArrayList<ScoreIndex.Line>();
    for (int shape = 0; shape < 100; shape++) {
      ScoreIndex.Line line = index.line(shape, 1, false, 100);
      assertThat(line.weight()).isGreaterThan(900);
      line.position = 5;
      line.score[7] = 1.0;
      first.add(line);
    }
    assertThat(index.linesBuilt()).isEqualTo(100);
    assertThat(index.lineBytes()).isLessThanOrEqualTo(budget);
    int afresh = 0;
    for (int shape = 0; shape < 100; shape++) {
      ScoreIndex.Line line = index.line(shape, 1, false, 100);
      if (line != first.get(shape)) {
        afresh++;
        assertThat(line.position).as("a line built again starts before the change log").isEqualTo(-1);
        assertThat(line.score[7]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(line.shape).isEqualTo(shape);
      }
    }
    // At most budget / weight lines were kept at the end of the first round.
    assertThat(afresh).isGreaterThanOrEqualTo(89);
    assertThat(index.linesBuilt()).isEqualTo(100 + afresh);
    assertThat(index.lineBytes()).isLessThanOrEqualTo(budget);
  }

  @ParameterizedTest(name = "{0} {1} uniform={2}")
  @CsvSource({
    "fgd, NODE_ORDER, false",
    "fgd, NODE_ORDER, true",
    "bestfit, PER_DECISION, false",
    "packing, NODE_ORDER, true",
    "clustering, NODE_ORDER, false",
  })
  void anEvictedLineBuiltAgainDecidesAsAKeptOneDoes(String policy, TieBreak tieBreak, boolean uniform) {
    var gen = new RandomClusters(41);
    List<Node> nodes = uniform ? gen.uniformNodes(60) : gen.nodes(60);
    // A few shapes, each coming back many times: a kept line is reused, an evicted one rebuilt.
    var shapes = new ArrayList<Task>();
    for (int i = 0; i < 12; i++) {
      shapes.add(gen.task());
    }
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 3_000; i++) {
      tasks.add(shapes.get(gen.nextInt(shapes.size())).toBuilder().id("task-" + i).build());
    }
    // Room for about one 60-node line (9 bytes a node, 4 a block): nearly every decision rebuilds.
    ScoreIndex.lineBytesForTests = 1_200;
    Engine tight;
    try {
      tight = engine(policy, tieBreak, nodes);
    } finally {
      ScoreIndex.lineBytesForTests = 0;
    }
    Engine roomy = engine(policy, tieBreak, nodes);

    var placed = new ArrayList<String>();
    int next = 0;
    int placements = 0;
    int pendings = 0;
    while (next < tasks.size()) {
      int op = gen.nextInt(100);
      if (op < 5) {
        Transaction a = tight.begin();
        Transaction b = roomy.begin();
        for (int k = 0; k < 3 && next < tasks.size(); k++) {
          Task t = tasks.get(next++);
          assertThat(tight.place(t)).as("task %s in a transaction", t.id()).isEqualTo(roomy.place(t));
        }
        a.rollback();
        b.rollback();
      } else if (op < 65 || placed.isEmpty()) {
        Task t = tasks.get(next++);
        Outcome mine = tight.place(t);
        assertThat(mine).as("task %s", t.id()).isEqualTo(roomy.place(t));
        if (mine.placed()) {
          placed.add(t.id());
          placements++;
        } else {
          pendings++;
        }
      } else if (op < 97) {
        String id = placed.remove(gen.nextInt(placed.size()));
        assertThat(tight.release(id)).isEqualTo(roomy.release(id));
      } else {
        String name = tight.cluster().nodes().get(gen.nextInt(tight.cluster().nodes().size())).name();
        List<Assignment> evicted = tight.removeNode(name);
        assertThat(evicted).isEqualTo(roomy.removeNode(name));
        for (Assignment a : evicted) {
          placed.remove(a.task());
        }
        Node n = gen.node();
        tight.addNode(n);
        roomy.addNode(n);
      }
    }
    assertThat(placements).as("the run exercised placements").isGreaterThan(500);
    assertThat(pendings).as("the run exercised rejections").isGreaterThan(20);
    assertThat(index(roomy).linesBuilt()).as("lines kept, one per shape").isLessThanOrEqualTo(shapes.size());
    assertThat(index(tight).linesBuilt()).as("lines built again after eviction").isGreaterThan(1_000);
    assertThat(index(tight).lineBytes()).isLessThanOrEqualTo(1_200);
  }

  private static Engine engine(String policy, TieBreak tieBreak, List<Node> nodes) {
    return (Engine) Scheduler.builder().policy(policy).seed(41).tieBreak(tieBreak).nodes(nodes).buildEngine();
  }

  private static ScoreIndex index(Engine e) {
    return java.util.Objects.requireNonNull(e.selection().index(), "a policy with a score index");
  }
}
