package io.flexsched.property;

import io.flexsched.model.Node;
import io.flexsched.model.Task;

/**
 * One step of a model-based run: something a user of the engine does. Each operation performs
 * itself through a {@link ModelRun}, which checks what the step must and must not change, and
 * prints itself as a line of Java for a regression test.
 *
 * <p>To cover a new engine operation (gangs, preemption), add a record here, the matching method
 * with its invariants to {@link ModelRun}, and a source of it to {@link OperationGenerator}.
 */
public interface Operation {
  /** Performs the step; returns the decision it led to, as text (the run's trace). */
  String perform(ModelRun run);

  /** This operation as a Java expression, e.g. {@code new Operation.Release("t3")}. */
  String java();

  /** Place a task. */
  record Place(Task task) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.place(task);
    }

    @Override
    public String java() {
      return "new Operation.Place(" + JavaSource.task(task) + ")";
    }
  }

  /** Release a task by id (placed or not). */
  record Release(String taskId) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.release(taskId);
    }

    @Override
    public String java() {
      return "new Operation.Release(" + JavaSource.string(taskId) + ")";
    }
  }

  /** A node joins (its name may be taken). */
  record AddNode(Node node) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.addNode(node);
    }

    @Override
    public String java() {
      return "new Operation.AddNode(" + JavaSource.node(node) + ")";
    }
  }

  /** A node leaves by name (present or not); its tasks are evicted. */
  record RemoveNode(String name) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.removeNode(name);
    }

    @Override
    public String java() {
      return "new Operation.RemoveNode(" + JavaSource.string(name) + ")";
    }
  }

  /** Opens a (possibly nested) transaction. */
  record Begin() implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.begin();
    }

    @Override
    public String java() {
      return "new Operation.Begin()";
    }
  }

  /** Commits the innermost open transaction; nothing when none is open. */
  record Commit() implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.commit();
    }

    @Override
    public String java() {
      return "new Operation.Commit()";
    }
  }

  /** Rolls back the innermost open transaction; nothing when none is open. */
  record Rollback() implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.rollback();
    }

    @Override
    public String java() {
      return "new Operation.Rollback()";
    }
  }
}
