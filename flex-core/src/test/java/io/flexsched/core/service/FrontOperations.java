package io.flexsched.core.service;

import io.flexsched.core.ConcurrentScheduler;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The calls Lincheck makes on a {@link ConcurrentScheduler} from several threads: place, submit,
 * release, cancel, a pass and a query, each answered as text that {@link SequentialFront}, the
 * same calls on a plain scheduler one at a time, must be able to reproduce in some order.
 */
@Param(name = "task", gen = IntGen.class, conf = "0:3")
public abstract class FrontOperations {
  private final ConcurrentScheduler front;

  protected FrontOperations(ConcurrentScheduler front) {
    this.front = front;
  }

  @Operation
  public String place(@Param(name = "task") int task) {
    return FrontScenario.answer(() -> FrontScenario.outcome(front.place(FrontScenario.TASKS.get(task)).join()));
  }

  @Operation
  public String submit(@Param(name = "task") int task) {
    return FrontScenario.answer(() -> {
      front.submit(List.of(FrontScenario.TASKS.get(task))).join();
      return "submitted";
    });
  }

  @Operation
  public String release(@Param(name = "task") int task) {
    return FrontScenario.answer(() -> FrontScenario.released(front.release(FrontScenario.TASKS.get(task).id()).join()));
  }

  @Operation
  public String cancel(@Param(name = "task") int task) {
    return FrontScenario.answer(() -> FrontScenario.cancelled(front.cancel(FrontScenario.TASKS.get(task).id()).join()));
  }

  @Operation
  public String schedule() {
    return FrontScenario.answer(() -> FrontScenario.outcomes(front.schedule().join()));
  }

  @Operation
  public long allocated() {
    return front.execute(s -> s.cluster().allocatedMilli()).join();
  }

  /** After each scenario: the front is closed (a dedicated thread ends). */
  @Validate
  public void close() {
    front.close();
  }
}
