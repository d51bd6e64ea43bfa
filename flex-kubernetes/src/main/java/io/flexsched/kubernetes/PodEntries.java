package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The pods the scheduler tracks, by {@code namespace/name}, each with where it stands. */
final class PodEntries {
  /** Where a tracked pod stands. */
  enum State {
    /** Ours, not bound: submitted to Flex, or waiting for the rest of its gang. */
    PENDING,
    /** Ours, with a request Flex cannot read; reported, not submitted. */
    MALFORMED,
    /** Placed by Flex; waiting for its victims to be gone before binding. */
    AWAITING_VICTIMS,
    /** Placed by Flex; the Binding is in flight. */
    BINDING,
    /** Bound, by Flex or anyone else; accounted on its node. */
    BOUND,
    /** Chosen as a victim; deleted, waiting for the API server to say it is gone. */
    EVICTING
  }

  /** One tracked pod. Mutable, owned by the engine thread. */
  static final class Entry {
    final String key;
    final String uid;
    Pod pod;
    final @Nullable Task task;
    State state;
    @Nullable String node;
    @Nullable Assignment assignment;
    @Nullable String lastReport;
    final Set<String> victims = new LinkedHashSet<>();

    Entry(Pod pod, @Nullable Task task, State state) {
      this.key = PodMapping.id(pod);
      this.uid = pod.getMetadata().getUid();
      this.pod = pod;
      this.task = task;
      this.state = state;
    }
  }

  private final Map<String, Entry> byKey = new HashMap<>();

  @Nullable Entry get(String key) {
    return byKey.get(key);
  }

  void put(Entry e) {
    byKey.put(e.key, e);
  }

  void remove(String key) {
    byKey.remove(key);
  }

  Collection<Entry> all() {
    return new ArrayList<>(byKey.values());
  }

  /** The pod with this UID, if tracked. */
  @Nullable Entry byUid(String uid) {
    for (Entry e : byKey.values()) {
      if (e.uid.equals(uid)) {
        return e;
      }
    }
    return null;
  }

  /** How many members of {@code gang} are placed or bound (not waiting, not malformed). */
  int boundMembers(String gang) {
    int n = 0;
    for (Entry e : byKey.values()) {
      if (e.task != null && e.task.gang() != null && e.task.gang().name().equals(gang) && e.state != State.PENDING
          && e.state != State.MALFORMED) {
        n++;
      }
    }
    return n;
  }

  /** Crosses {@code victim} off every preemptor's list; returns the preemptors now free to bind. */
  List<Entry> victimGone(String victim) {
    var ready = new ArrayList<Entry>();
    for (Entry e : byKey.values()) {
      if (e.state == State.AWAITING_VICTIMS && e.victims.remove(victim) && e.victims.isEmpty()) {
        ready.add(e);
      }
    }
    return ready;
  }
}
