package io.flexsched.core.queue;

import io.flexsched.core.Outcome;
import io.flexsched.model.Task;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Failed attempts remembered by task shape: a request of a shape that failed to fit is not tried
 * again until something changes what any request can get (a placement, a release, a node change, a
 * reservation). Counts those changes.
 */
final class FailureMemo {
  private record Memo(long changes, Outcome.Pending reason) {}

  private final Journal journal;
  private final Map<Task, Memo> failures = new HashMap<>();
  private final Journal.Count changes;
  /** The change count of the newest memo: past it, every memo is stale, and none need be looked up. */
  private long newest = -1;

  FailureMemo(Journal journal) {
    this.journal = journal;
    this.changes = journal.count();
  }

  /** Something changed what requests can get: every remembered failure is stale. */
  void changed() {
    changes.value++;
  }

  /** Why a request of {@code e}'s shape failed, if that is still known; for {@code e}'s members. */
  Outcome.@Nullable Pending recall(Entry e) {
    if (changes.value > newest) {
      return null;
    }
    Memo memo = failures.get(e.shape());
    if (memo == null || memo.changes() != changes.value) {
      return null;
    }
    Outcome.Pending r = memo.reason();
    return new Outcome.Pending(e.members, r.cause(), r.reasons(), r.nearest(), r.detail());
  }

  /** Remembers that {@code e}'s shape failed, for {@code reason}. */
  void remember(Entry e, Outcome.Pending reason) {
    Task shape = e.shape();
    Memo before = failures.put(shape, new Memo(changes.value, reason));
    long newestBefore = newest;
    newest = Math.max(newest, changes.value);
    journal.record(() -> {
      newest = newestBefore;
      if (before == null) {
        failures.remove(shape);
      } else {
        failures.put(shape, before);
      }
    });
  }
}
