package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.engine.Engine;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import org.junit.jupiter.api.Test;

/**
 * Found by the model-based tester (property-tests, seed 1): a node removed and a node of the same
 * name added in one transaction, then rolled back, left a dead node sharing its name with a live
 * one, and the from-scratch recomputation of assert mode choked on the name.
 */
class RollbackOfReusedNameTest {
  @Test
  void rollingBackARemovalAndAReAddUnderTheSameNameRestoresTheOldNode() {
    Node old = Node.of("n0", 48_000, 196_608, DeviceCatalogue.builtIn().require("T4"), 1);
    PlacementEngine e = Scheduler.builder().policy("bestfit").node(old).buildEngine();
    assertThat(((Engine) e).assertMode()).isTrue();
    try (Transaction tx = e.begin()) {
      e.removeNode("n0");
      e.addNode(Node.of("n0", 8_000, 8_192, DeviceCatalogue.builtIn().require("V100M32"), 2));
      tx.rollback();
      assertThat(tx.isOpen()).isFalse();
    }
    e.verifyAccounting();
    assertThat(e.cluster().nodes()).containsExactly(old);
    assertThatThrownBy(() -> e.addNode(old)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("must not repeat");
  }
}
