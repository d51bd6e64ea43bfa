package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PlacementEngine#place(Task, java.util.function.Predicate)}, the placement a reservation
 * uses: with every node allowed it decides exactly as {@link PlacementEngine#place(Task)} does
 * (same policy, same tie-breaking), and it never uses a node it is not allowed.
 */
class AllowedNodesTest {

  @ParameterizedTest
  @ValueSource(strings = {"fgd", "bestfit", "packing", "random"})
  void everyNodeAllowedDecidesAsPlaceDoes(String policy) {
    List<Node> nodes = new RandomClusters(11).nodes(30);
    PlacementEngine plain = PlacementEngine.builder().policy(policy).seed(11).nodes(nodes).build();
    PlacementEngine filtered = PlacementEngine.builder().policy(policy).seed(11).nodes(nodes).build();
    var tasks = new RandomClusters(12);
    int placed = 0;
    for (int i = 0; i < 400; i++) {
      Task t = tasks.task();
      Decision a = plain.place(t);
      Decision b = filtered.place(t, name -> true);
      assertThat(b).as("task %d", i).isEqualTo(a);
      placed += a.placed() ? 1 : 0;
    }
    assertThat(placed).isGreaterThan(50);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fgd", "bestfit"})
  void aNodeNotAllowedIsNeverUsed(String policy) {
    List<Node> nodes = new RandomClusters(21).uniformNodes(12);
    PlacementEngine e = PlacementEngine.builder().policy(policy).seed(21).nodes(nodes).build();
    String held = nodes.get(0).name();
    var tasks = new RandomClusters(22);
    for (int i = 0; i < 300; i++) {
      e.place(tasks.task(), name -> !name.equals(held));
    }
    assertThat(e.assignments()).isNotEmpty().extracting(Assignment::node).doesNotContain(held);
    OverCommit.check(e);
  }
}
