package io.flexsched.core.service;

import io.flexsched.core.ConcurrentScheduler;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the front with a scheduling thread of its own (Lincheck, stress mode: model
 * checking cannot control a thread that the object under test starts for itself).
 */
public class DedicatedFrontLincheckTest extends FrontOperations {
  public DedicatedFrontLincheckTest() {
    super(ConcurrentScheduler.start(FrontScenario.scheduler(), 16));
  }

  @Test
  @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void stressFindsEveryExecutionLinearizable() {
    new StressOptions().iterations(30).invocationsPerIteration(500).threads(3).actorsPerThread(3)
        .actorsBefore(2).actorsAfter(1).sequentialSpecification(SequentialFront.class)
        .check(DedicatedFrontLincheckTest.class);
  }
}
