package io.flexsched.sim.plan;

import io.flexsched.core.Explanation;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.RejectReason;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON objects {@code flex plan} prints, one per decision, as scenario-format.md fixes them. */
final class JsonLine {
  private JsonLine() {}

  /** {@code {"task":..,"status":"placed","node":..,"devices":[{"index":0,"milli":500,"memoryMiB":10000}]}}. */
  static String placed(Assignment a) {
    return placed(a, List.of());
  }

  /**
   * A placement, with {@code "preempted":["t1",..]} after the devices when it evicted tasks:
   * {@code {"task":"t4","status":"placed","node":"n1","devices":[..],"preempted":["t1"]}}.
   */
  static String placed(Assignment a, List<String> preempted) {
    StringBuilder b = start(a.task(), "placed");
    devices(b, a);
    if (!preempted.isEmpty()) {
      b.append(",\"preempted\":[");
      for (int i = 0; i < preempted.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        string(b, preempted.get(i));
      }
      b.append(']');
    }
    return b.append('}').toString();
  }

  /**
   * A migration: {@code {"task":"t7","status":"migrated","from":"n2","to":"n1","node":"n1","devices":[..]}},
   * its new node and devices as on a placed line.
   */
  static String migrated(PlacementEngine.Migration m) {
    StringBuilder b = start(m.task(), "migrated");
    field(b, "from", m.fromNode());
    field(b, "to", m.toNode());
    devices(b, m.to());
    return b.append('}').toString();
  }

  /** {@code ,"node":..,"devices":[..]} of an assignment. */
  private static void devices(StringBuilder b, Assignment a) {
    field(b, "node", a.node());
    b.append(",\"devices\":[");
    for (int i = 0; i < a.slices().size(); i++) {
      Slice s = a.slices().get(i);
      b.append(i == 0 ? "{" : ",{");
      b.append("\"index\":").append(s.device());
      if (s.profile() != null) {
        field(b, "profile", s.profile());
        if (s.start() >= 0) {
          b.append(",\"start\":").append(s.start());
        }
      } else {
        b.append(",\"milli\":").append(s.milli());
        b.append(",\"memoryMiB\":").append(s.memoryMiB());
      }
      b.append('}');
    }
    b.append(']');
    if (a.numaNode() != Assignment.NO_NUMA) {
      // Only a task with NUMA affinity has one: lines without it stay as they were.
      b.append(",\"numa\":").append(a.numaNode());
    }
  }

  /** {@code {"task":"t1","status":"preempted","by":"t4"}}: a victim, back in the queue. */
  static String preempted(String task, String by) {
    StringBuilder b = start(task, "preempted");
    field(b, "by", by);
    return b.append('}').toString();
  }

  /** {@code {"task":..,"status":"pending","reasons":{"insufficient-gpu":7}}}, reasons in enum order. */
  static String pending(String task, Map<RejectReason, Integer> reasons) {
    return pending(task, reasons, null, null);
  }

  /**
   * A pending task, with {@code "cause":..} after the reasons when it waits for something other
   * than room ({@code queue-limit}, {@code queue-guarantee}, {@code blocked}, {@code reserved}), and
   * with {@code "nearest":{"node":..,"reason":..,"lacks":{..}}} when a node came closest to taking it.
   */
  static String pending(String task, Map<RejectReason, Integer> reasons, @Nullable String cause, Explanation.@Nullable NearMiss nearest) {
    StringBuilder b = start(task, "pending");
    b.append(",\"reasons\":{");
    boolean first = true;
    for (RejectReason r : RejectReason.values()) {
      Integer nodes = reasons.get(r);
      if (nodes != null) {
        b.append(first ? "" : ",");
        string(b, r.label());
        b.append(':').append(nodes.intValue());
        first = false;
      }
    }
    b.append('}');
    if (cause != null) {
      field(b, "cause", cause);
    }
    if (nearest != null) {
      b.append(",\"nearest\":{");
      string(b, "node");
      b.append(':');
      string(b, nearest.node());
      field(b, "reason", nearest.reason().label());
      b.append(",\"lacks\":{");
      boolean firstLack = true;
      for (Map.Entry<String, Long> e : nearest.lacks().entrySet()) {
        b.append(firstLack ? "" : ",");
        string(b, e.getKey());
        b.append(':').append(e.getValue().longValue());
        firstLack = false;
      }
      b.append("}}");
    }
    return b.append('}').toString();
  }

  /** {@code {"task":..,"status":"released","node":..}}; without a node for a task that held none. */
  static String released(String task, @Nullable String node) {
    StringBuilder b = start(task, "released");
    if (node != null) {
      field(b, "node", node);
    }
    return b.append('}').toString();
  }

  /** {@code {"task":..,"status":"evicted","node":..,"cause":..}}. */
  static String evicted(String task, String node, String cause) {
    StringBuilder b = start(task, "evicted");
    field(b, "node", node);
    field(b, "cause", cause);
    return b.append('}').toString();
  }

  /** {@code {"task":..,"status":"waiting","gang":..}}: a gang member waiting for the rest. */
  static String waiting(String task, String gang) {
    StringBuilder b = start(task, "waiting");
    field(b, "gang", gang);
    return b.append('}').toString();
  }

  private static StringBuilder start(String task, String status) {
    StringBuilder b = new StringBuilder(96).append("{\"task\":");
    string(b, task);
    field(b, "status", status);
    return b;
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    string(b, value);
  }

  /** Appends {@code s} as a JSON string (RFC 8259 escapes). */
  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          // Control characters must be escaped; U+2028/9 too, so a line stays one line for JS readers.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
