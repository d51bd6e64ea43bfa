package io.flexsched.property;

import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;

/**
 * One step of a model-based run: something a user of the scheduler does. Each operation performs
 * itself through a {@link ModelRun}, which checks what the step must and must not change, and
 * prints itself as a line of Java for a regression test.
 *
 * <p>To cover a new scheduler operation, add a record here, the matching method with its
 * invariants to {@link ModelRun}, and a source of it to {@link OperationGenerator}.
 */
public interface Operation {
  /** Performs the step; returns the decision it led to, as text (the run's trace). */
  String perform(ModelRun run);

  /** This operation as a Java expression, e.g. {@code new Operation.Release("t3")}. */
  String java();

  /** Place a request now (one task, or a gang's members), preempting if the rules allow. */
  record Place(List<Task> request) implements Operation {
    public Place {
      request = List.copyOf(request);
    }

    /** Place one task. */
    public Place(Task task) {
      this(List.of(task));
    }

    @Override
    public String perform(ModelRun run) {
      return run.place(request);
    }

    @Override
    public String java() {
      return "new Operation.Place(" + JavaSource.request(request) + ")";
    }
  }

  /** Submit a request to the pending set. */
  record Submit(List<Task> request) implements Operation {
    public Submit {
      request = List.copyOf(request);
    }

    @Override
    public String perform(ModelRun run) {
      return run.submit(request);
    }

    @Override
    public String java() {
      return "new Operation.Submit(" + JavaSource.list(request) + ")";
    }
  }

  /** Cancel a task by id: withdraw a pending one (its whole request), release a placed one. */
  record Cancel(String taskId) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.cancel(taskId);
    }

    @Override
    public String java() {
      return "new Operation.Cancel(" + JavaSource.string(taskId) + ")";
    }
  }

  /** One scheduling pass. */
  record Schedule() implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.schedule();
    }

    @Override
    public String java() {
      return "new Operation.Schedule()";
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

  /** Fences (true) or unfences (false) a node by name (present or not). */
  record Fence(String name, boolean fenced) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return run.fence(name, fenced);
    }

    @Override
    public String java() {
      return "new Operation.Fence(" + JavaSource.string(name) + ", " + fenced + ")";
    }
  }

  /**
   * {@code inner}, with a fault injected into the {@code delay}-th call it makes into an extension
   * (the faulty-SPI mode; see {@link Faults}), of a kind drawn from {@code kinds}.
   */
  record Faulty(Operation inner, int delay, long kinds) implements Operation {
    @Override
    public String perform(ModelRun run) {
      return inner.perform(run);
    }

    @Override
    public String java() {
      return "new Operation.Faulty(" + inner.java() + ", " + delay + ", " + kinds + "L)";
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

  /** Place a request now, migrating at most {@code moves} placed tasks to make room. */
  record Defragment(List<Task> request, int moves) implements Operation {
    public Defragment {
      request = List.copyOf(request);
    }

    @Override
    public String perform(ModelRun run) {
      return run.defragment(request, moves);
    }

    @Override
    public String java() {
      return "new Operation.Defragment(" + JavaSource.list(request) + ", " + moves + ")";
    }
  }
}
