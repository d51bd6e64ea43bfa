package io.flexsched.core.service;

import io.flexsched.core.Scheduler;
import java.util.List;

/** The sequential specification: the same calls, one at a time, on a plain {@link Scheduler}. */
public class SequentialFront {
  private final Scheduler scheduler = FrontScenario.scheduler();

  public String place(int task) {
    return FrontScenario.answer(() -> FrontScenario.outcome(scheduler.place(FrontScenario.TASKS.get(task))));
  }

  public String submit(int task) {
    return FrontScenario.answer(() -> {
      scheduler.submit(List.of(FrontScenario.TASKS.get(task)));
      return "submitted";
    });
  }

  public String release(int task) {
    return FrontScenario.answer(() -> FrontScenario.released(scheduler.release(FrontScenario.TASKS.get(task).id())));
  }

  public String cancel(int task) {
    return FrontScenario.answer(() -> FrontScenario.cancelled(scheduler.cancel(FrontScenario.TASKS.get(task).id())));
  }

  public String schedule() {
    return FrontScenario.answer(() -> FrontScenario.outcomes(scheduler.schedule()));
  }

  public long allocated() {
    return scheduler.cluster().allocatedMilli();
  }
}
