package io.flexsched.core.engine;

import io.flexsched.core.PolicyException;
import io.flexsched.core.providers.Hardware;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;

/**
 * The boundary between the engine and extensions: every call into a user's policy, device rules
 * or fragmentation measure goes through here, and whatever it throws comes back as a
 * {@link PolicyException} naming the extension, the node and the task, for the operation that
 * asked to roll back. A try block costs nothing in the placement loop until something throws.
 */
public final class Guard {
  private Guard() {}

  /** {@code policy}'s finite score of {@code task} on {@code node}, its device choice in {@code choice}. */
  static double score(ScoringPolicy policy, Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    double score;
    try {
      score = policy.score(task, node, choice, context);
    } catch (RuntimeException e) {
      throw new PolicyException(scoring(policy), node.spec().name(), task.id(), "it threw " + e, e);
    }
    if (!Double.isFinite(score)) {
      throw new PolicyException(scoring(policy), node.spec().name(), task.id(), "it scored " + score + ", not a finite number", null);
    }
    return score;
  }

  /**
   * Whether {@code rules} find a set of devices for {@code task} on {@code node}; a set they claim
   * must be one: the requested number of distinct devices of the node, each able to host the task.
   */
  static boolean select(DeviceRules rules, Task task, NodeView node, DeviceChoice choice) {
    boolean found;
    try {
      found = rules.select(task, node, choice);
    } catch (RuntimeException e) {
      throw new PolicyException(rules(rules), node.spec().name(), task.id(), "select threw " + e, e);
    }
    if (found) {
      long seen = 0;
      boolean valid = choice.size() == task.accelerators().count();
      for (int i = 0; valid && i < choice.size(); i++) {
        int d = choice.device(i);
        valid = d >= 0 && d < node.deviceCount() && (seen & (1L << d)) == 0 && node.canHost(d, task.accelerators());
        seen |= valid ? 1L << d : 0;
      }
      if (!valid) {
        throw new PolicyException(rules(rules), node.spec().name(), task.id(),
            "select found " + choice + ", which is not " + task.accelerators().count() + " distinct devices able to host the task",
            null);
      }
    }
    return found;
  }

  /** Whether {@code rules} admit {@code choice} for {@code task} on {@code node}. */
  static boolean admits(DeviceRules rules, Task task, NodeView node, DeviceChoice choice) {
    try {
      return rules.admits(task, node, choice);
    } catch (RuntimeException e) {
      throw new PolicyException(rules(rules), node.spec().name(), task.id(), "admits threw " + e, e);
    }
  }

  /** {@code measure}'s fragmentation of {@code node}, which must be a finite number. */
  static double fragmentation(FragmentationMeasure measure, NodeView node) {
    double value;
    try {
      value = measure.fragmentation(node);
    } catch (RuntimeException e) {
      throw new PolicyException("fragmentation measure '" + measure.name() + "'", node.spec().name(), null, "it threw " + e, e);
    }
    if (!Double.isFinite(value)) {
      throw new PolicyException("fragmentation measure '" + measure.name() + "'", node.spec().name(), null,
          "it measured " + value + ", not a finite number", null);
    }
    return value;
  }

  /**
   * How many nodes {@code policy} samples a decision (0: it scores every feasible node).
   *
   * @throws io.flexsched.model.InvalidSpecException when the policy answers a negative number
   */
  static int sampleSize(ScoringPolicy policy) {
    int k;
    try {
      k = policy.sampleSize();
    } catch (RuntimeException e) {
      throw new PolicyException(scoring(policy), null, null, "sampleSize threw " + e, e);
    }
    if (k < 0) {
      throw new io.flexsched.model.InvalidSpecException("sampleSize", k,
          "of " + scoring(policy) + " must be 0 (score every feasible node) or more");
    }
    return k;
  }

  /** The device rules the hardware providers give {@code node}; a provider that throws is named. */
  static DeviceRules rules(Hardware hardware, Node node) {
    try {
      return hardware.rulesFor(node);
    } catch (RuntimeException e) {
      throw new PolicyException("hardware providers " + hardware.providers(), node.name(), null, "rules threw " + e, e);
    }
  }

  static String scoring(ScoringPolicy policy) {
    return "scoring policy '" + policy.name() + "'";
  }

  static String rules(DeviceRules rules) {
    return rules == DeviceRules.standard() ? "standard device rules" : "device rules " + rules.getClass().getName();
  }
}
