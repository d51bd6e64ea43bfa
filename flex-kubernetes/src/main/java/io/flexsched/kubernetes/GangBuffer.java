package io.flexsched.kubernetes;

import io.flexsched.model.Gang;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gang members seen so far, held until the whole gang is there: Flex places a gang as one
 * request, and pods arrive one by one.
 */
final class GangBuffer {
  private final Map<String, Map<String, Task>> waiting = new HashMap<>();

  /**
   * Holds {@code member}; when the gang is complete, returns every waiting member (and forgets
   * them), else an empty list.
   *
   * @param alreadyBound members of the gang that are bound already (after a restart, or a
   *     partially failed binding); the rest form a smaller gang. {@code Integer.MAX_VALUE} only holds.
   */
  List<Task> add(Task member, int alreadyBound) {
    Gang gang = member.gang();
    var members = waiting.computeIfAbsent(gang.name(), g -> new LinkedHashMap<>());
    members.put(member.id(), member);
    if (alreadyBound == Integer.MAX_VALUE) {
      return List.of();
    }
    int needed = gang.size() - alreadyBound;
    if (members.size() < needed) {
      return List.of();
    }
    waiting.remove(gang.name());
    var out = new ArrayList<Task>();
    Gang rest = needed == gang.size() ? gang
        : new Gang(gang.name(), members.size(), gang.topologyLevel(), gang.required());
    for (Task t : members.values()) {
      out.add(t.toBuilder().gang(rest).build());
    }
    return out;
  }

  /** Drops a waiting member; false when it was not waiting here. */
  boolean remove(Task member) {
    var members = waiting.get(member.gang().name());
    if (members == null || members.remove(member.id()) == null) {
      return false;
    }
    if (members.isEmpty()) {
      waiting.remove(member.gang().name());
    }
    return true;
  }
}
