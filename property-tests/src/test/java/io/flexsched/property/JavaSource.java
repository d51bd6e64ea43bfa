package io.flexsched.property;

import io.flexsched.core.RandomClusters;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders the values of an operation sequence as Java source that rebuilds them exactly, so that
 * a shrunk failing sequence can be pasted into a regression test. Device models are looked up by
 * name through {@link RandomClusters#model(String)}, which knows every model the tester uses.
 */
public final class JavaSource {
  private JavaSource() {}

  /** The imports a pasted sequence needs. */
  public static final List<String> IMPORTS = List.of(
      "io.flexsched.core.RandomClusters",
      "io.flexsched.core.TieBreak",
      "io.flexsched.model.AcceleratorRequest",
      "io.flexsched.model.Gang",
      "io.flexsched.model.LinkMatrix",
      "io.flexsched.model.Node",
      "io.flexsched.model.Task",
      "io.flexsched.property.ModelRun",
      "io.flexsched.property.Operation",
      "java.util.EnumSet",
      "java.util.List",
      "java.util.Map",
      "java.util.Set");

  /** A Java string literal. */
  public static String string(String s) {
    var b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String longLiteral(long v) {
    return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? v + "L" : Long.toString(v);
  }

  /** A task as {@code Task.builder(...)...build()}. */
  public static String task(Task t) {
    var b = new StringBuilder("Task.builder(").append(string(t.id())).append(')');
    b.append(".cpuMilli(").append(longLiteral(t.cpuMilli())).append(')');
    b.append(".memoryMiB(").append(longLiteral(t.memoryMiB())).append(')');
    if (!t.accelerators().equals(AcceleratorRequest.NONE)) {
      b.append(".accelerators(").append(request(t.accelerators())).append(')');
    }
    if (t.priority() != 0) {
      b.append(".priority(").append(t.priority()).append(')');
    }
    if (!t.preemptible()) {
      b.append(".preemptible(false)");
    }
    if (t.queue() != null) {
      b.append(".queue(").append(string(t.queue())).append(')');
    }
    if (t.numa() != Task.Numa.NONE) {
      b.append(".numa(Task.Numa.").append(t.numa().name()).append(')');
    }
    if (t.gang() != null) {
      Gang g = t.gang();
      b.append(".gang(new Gang(").append(string(g.name())).append(", ").append(g.size()).append(", ")
          .append(g.topologyLevel() == null ? "null" : string(g.topologyLevel())).append(", ").append(g.required()).append("))");
    }
    return b.append(".build()").toString();
  }

  /** A request: one task, or {@code List.of(...)} of a gang's members. */
  public static String request(List<Task> tasks) {
    return tasks.size() == 1 ? task(tasks.get(0)) : list(tasks);
  }

  /** Tasks as {@code List.of(...)}. */
  public static String list(List<Task> tasks) {
    var b = new StringBuilder("List.of(");
    String sep = "";
    for (Task t : tasks) {
      b.append(sep).append(task(t));
      sep = ", ";
    }
    return b.append(')').toString();
  }

  /**
   * A request through its constructor, every field spelt out (the weight, through the canonical
   * constructor, only for a time slice), then its consent to remote devices if any.
   */
  public static String request(AcceleratorRequest r) {
    return "new AcceleratorRequest(" + r.count() + ", " + r.milliPerDevice() + ", " + longLiteral(r.memoryMiBPerDevice())
        + ", " + set(r.models()) + ", " + (r.profile() == null ? "null" : string(r.profile())) + ", " + r.minLinkScore()
        + (r.weight() == 0 ? "" : ", " + r.weight() + ", null") + ")"
        + (r.remote() == null ? "" : ".remoteOk(" + r.remote().penalty() + ")");
  }

  private static String set(Set<String> values) {
    var b = new StringBuilder("Set.of(");
    String sep = "";
    for (String v : new TreeSet<>(values)) {
      b.append(sep).append(string(v));
      sep = ", ";
    }
    return b.append(')').toString();
  }

  /** A node as {@code Node.builder(...)...build()}, runs of one model grouped. */
  public static String node(Node n) {
    var b = new StringBuilder("Node.builder(").append(string(n.name())).append(')');
    b.append(".cpuMilli(").append(longLiteral(n.cpuMilli())).append(')');
    b.append(".memoryMiB(").append(longLiteral(n.memoryMiB())).append(')');
    int i = 0;
    while (i < n.devices().size()) {
      DeviceModel m = n.devices().get(i).model();
      int run = 1;
      while (i + run < n.devices().size() && n.devices().get(i + run).model().equals(m)) {
        run++;
      }
      if (!RandomClusters.model(m.name()).equals(m)) {
        throw new IllegalArgumentException("model " + m.name() + " is not one RandomClusters.model() knows");
      }
      b.append(".devices(RandomClusters.model(").append(string(m.name())).append("), ").append(run).append(')');
      i += run;
    }
    if (!n.labels().isEmpty()) {
      b.append(".labels(Map.of(");
      String sep = "";
      for (Map.Entry<String, String> e : new TreeMap<>(n.labels()).entrySet()) {
        b.append(sep).append(string(e.getKey())).append(", ").append(string(e.getValue()));
        sep = ", ";
      }
      b.append("))");
    }
    if (n.links() != null) {
      LinkMatrix links = n.links();
      b.append(".links(LinkMatrix.of(new int[][] {");
      for (int row = 0; row < links.size(); row++) {
        b.append(row == 0 ? "{" : ", {");
        for (int col = 0; col < links.size(); col++) {
          b.append(col == 0 ? "" : ", ").append(links.score(row, col));
        }
        b.append('}');
      }
      b.append("}))");
    }
    if (!n.numa().isEmpty()) {
      b.append(".numa(List.of(");
      String sep = "";
      for (Node.NumaNode k : n.numa()) {
        b.append(sep).append("new Node.NumaNode(").append(longLiteral(k.cpuMilli())).append(", List.of(");
        String inner = "";
        for (int d : k.devices()) {
          b.append(inner).append(d);
          inner = ", ";
        }
        b.append("))");
        sep = ", ";
      }
      b.append("))");
    }
    if (!n.topology().isEmpty()) {
      b.append(".topology(List.of(");
      String sep = "";
      for (String d : n.topology()) {
        b.append(sep).append(string(d));
        sep = ", ";
      }
      b.append("))");
    }
    return b.append(".build()").toString();
  }
}
