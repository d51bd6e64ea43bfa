package io.flexsched.kubernetes;

import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The scoring policy the Kubernetes scheduler runs: the configured policy, except while a pod
 * that is already bound is being accounted. Then only the pod's node scores, and the devices are
 * those of its {@code flexsched.io/assignment} annotation (or the configured policy's choice on
 * that node when the pod has none, as for pods another scheduler bound). The public API has no
 * "place here" call; a policy is the public way to say where a task goes.
 */
final class RestoringPolicy implements ScoringPolicy {
  private static final double PINNED = 1e12;
  private static final double ELSEWHERE = -1e12;

  private final ScoringPolicy delegate;
  private @Nullable String node;
  private @Nullable Assignment devices;

  RestoringPolicy(ScoringPolicy delegate) {
    this.delegate = delegate;
  }

  /**
   * The built-in or {@link ServiceLoader}-found policy called {@code name}.
   *
   * @throws InvalidSpecException naming the field {@code policy} when there is none
   */
  static ScoringPolicy named(String name, long seed, DeviceCatalogue catalogue) {
    for (ScoringPolicy.Provider p : ServiceLoader.load(ScoringPolicy.Provider.class)) {
      if (p.name().equals(name)) {
        return p.create(new PolicyContext(seed, WorkloadDistribution.EMPTY, catalogue));
      }
    }
    throw new InvalidSpecException("policy", "'" + name + "'",
        "must be one of " + io.flexsched.core.Scheduler.scoringPolicies().keySet());
  }

  /** From now until {@link #release()}, tasks go to {@code target}, on these devices when given. */
  void pin(String target, @Nullable Assignment assignment) {
    this.node = target;
    this.devices = assignment;
  }

  void release() {
    this.node = null;
    this.devices = null;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public double score(Task task, NodeView view, DeviceChoice choice, DecisionContext context) {
    if (node == null) {
      return delegate.score(task, view, choice, context);
    }
    if (!node.equals(view.spec().name())) {
      delegate.score(task, view, choice, context);
      return ELSEWHERE;
    }
    if (devices != null && devices.slices().size() == task.accelerators().count()) {
      for (Slice s : devices.slices()) {
        choice.add(s.device(), s.start());
      }
    } else {
      delegate.score(task, view, choice, context);
    }
    return PINNED;
  }

  @Override
  public boolean dependsOnlyOnNodeState() {
    // It reads the node's name while pinning.
    return false;
  }
}
