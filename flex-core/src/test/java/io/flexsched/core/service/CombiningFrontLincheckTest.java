package io.flexsched.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import io.flexsched.core.ConcurrentScheduler;
import io.flexsched.core.queue.QueuedScheduler;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the combining front (Lincheck), in model-checking and stress modes. It drains
 * on the calling threads, so model checking controls every thread involved; the scheduler's own
 * methods run inside a drain, one at a time by construction, and count as atomic steps, so the
 * search spends itself on the front's queue, flags and futures. With the lost-wakeup race injected
 * ({@link MpscSchedulerService#skipRecheck}), model checking must find an execution that hangs.
 */
public class CombiningFrontLincheckTest extends FrontOperations {
  public CombiningFrontLincheckTest() {
    super(ConcurrentScheduler.combining(FrontScenario.scheduler(), 16));
  }

  private static ModelCheckingOptions modelChecking(int iterations) {
    return new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(300).threads(2).actorsPerThread(3)
        .actorsBefore(2).actorsAfter(1).sequentialSpecification(SequentialFront.class)
        .addGuarantee(forClasses(QueuedScheduler.class.getName()).allMethods().treatAsAtomic());
  }

  @Test
  @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void modelCheckingFindsEveryExecutionLinearizable() {
    modelChecking(Integer.getInteger("flex.lincheck.iterations", 12)).check(CombiningFrontLincheckTest.class);
  }

  @Test
  @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void stressFindsEveryExecutionLinearizable() {
    new StressOptions().iterations(20).invocationsPerIteration(1_000).threads(3).actorsPerThread(3)
        .actorsBefore(2).actorsAfter(1).sequentialSpecification(SequentialFront.class)
        .check(CombiningFrontLincheckTest.class);
  }

  @Test
  @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLostWakeupIsCaught() {
    MpscSchedulerService.skipRecheck = true;
    try {
      // The first hang found is enough: shrinking it would cost minutes.
      assertThatThrownBy(() -> modelChecking(5).minimizeFailedScenario(false).check(CombiningFrontLincheckTest.class))
          .isInstanceOf(LincheckAssertionError.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("The execution has hung"));
    } finally {
      MpscSchedulerService.skipRecheck = false;
    }
  }
}
