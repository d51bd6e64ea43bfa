package io.flexsched.property;

import io.flexsched.core.RandomClusters;
import io.flexsched.core.TieBreak;
import io.flexsched.model.Node;
import org.junit.jupiter.api.Test;

/**
 * Shrunk failing sequences found by {@link RandomOperationsTest}, pasted as printed: each failed
 * before its fix and must keep passing.
 */
class RegressionTest {
  /**
   * A node removed inside a transaction, a node of the same name added, then a rollback: the
   * engine's own from-scratch recomputation re-added the dead node under its name and threw
   * "node.name must not repeat" out of the rollback (and out of verifyAccounting afterwards).
   */
  @Test
  void seed1() {
    ModelRun.replay("dotprod", 1L, TieBreak.NODE_ORDER,
        new Operation.AddNode(Node.builder("n0").cpuMilli(48000).memoryMiB(196608).devices(RandomClusters.model("Ascend910B3"), 1).build()),
        new Operation.Begin(),
        new Operation.RemoveNode("n0"),
        new Operation.AddNode(Node.builder("n0").cpuMilli(48000).memoryMiB(524288).devices(RandomClusters.model("V100M32"), 1).build()));
  }
}
