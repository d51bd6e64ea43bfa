package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Task;
import io.flexsched.sim.cli.FlexCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The output of one {@code flex plan} run on a test scenario, each JSON line parsed, with the
 * scenario's tasks (as {@link ScenarioReader} reads them) to check the lines against the rules.
 *
 * @param lines the parsed lines, in order
 * @param tasks the scenario's tasks by id (a task submitted twice: its last submission)
 */
record PlanLines(List<Map<String, Object>> lines, Map<String, Task> tasks) {

  /** Runs {@code flex plan} on the test scenario {@code name}, which must run (exit 0, no stderr). */
  static PlanLines of(String name) {
    PlanRun run = PlanRun.of(name);
    assertThat(run.err()).as("stderr").isEmpty();
    assertThat(run.exit()).as("exit code").isEqualTo(FlexCommand.OK);
    var parsed = new ArrayList<Map<String, Object>>();
    for (String line : run.lines()) {
      // JSON is YAML: SnakeYAML parses each line into maps, lists, strings and numbers.
      Object value = new Yaml().load(line);
      assertThat(value).as("line %s", line).isInstanceOf(Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) value;
      parsed.add(map);
    }
    var tasks = new LinkedHashMap<String, Task>();
    for (ScenarioEvent e : ScenarioReader.read(PlanRun.scenario(name)).events()) {
      if (e instanceof ScenarioEvent.Submit s) {
        tasks.put(s.task().id(), s.task());
      }
    }
    return new PlanLines(List.copyOf(parsed), tasks);
  }

  /** The lines about {@code task}, in order. */
  List<Map<String, Object>> about(String task) {
    return lines.stream().filter(l -> task.equals(l.get("task"))).toList();
  }

  /** The lines with {@code status}, in order. */
  List<Map<String, Object>> withStatus(String status) {
    return lines.stream().filter(l -> status.equals(l.get("status"))).toList();
  }

  /** The statuses of {@code task}'s lines, in order. */
  List<String> statuses(String task) {
    return about(task).stream().map(l -> (String) l.get("status")).toList();
  }

  /** The ids a placed line lists under {@code preempted}; empty when it has none. */
  @SuppressWarnings("unchecked")
  static List<String> victims(Map<String, Object> placed) {
    Object v = placed.get("preempted");
    return v == null ? List.of() : (List<String>) v;
  }

  /** Every id named under {@code preempted} on any placed line, in order. */
  List<String> allVictims() {
    var out = new ArrayList<String>();
    for (Map<String, Object> l : withStatus("placed")) {
      out.addAll(victims(l));
    }
    return out;
  }

  /** The node of {@code task}'s last placed line. */
  String lastNode(String task) {
    List<Map<String, Object>> placed = about(task).stream().filter(l -> "placed".equals(l.get("status"))).toList();
    assertThat(placed).as("placed lines of %s", task).isNotEmpty();
    return (String) placed.get(placed.size() - 1).get("node");
  }

  /**
   * Checks the preemption lines against the rules: each victim listed on a placed line follows it,
   * in the listed order, as a {@code preempted} line naming the preemptor; every {@code preempted}
   * line is announced that way; a victim was placed at that point, is preemptible and, in its
   * preemptor's queue, has a strictly lower priority (a victim of another queue is a reclaim).
   */
  void assertPreemptionsFollowTheRules() {
    var holding = new HashMap<String, String>();
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> l = lines.get(i);
      String task = (String) l.get("task");
      switch ((String) l.get("status")) {
        case "placed" -> {
          assertThat(holding).as("line %d: %s is placed twice", i + 1, task).doesNotContainKey(task);
          List<String> victims = victims(l);
          for (int k = 0; k < victims.size(); k++) {
            String v = victims.get(k);
            assertThat(holding).as("line %d: victim %s was placed", i + 1, v).containsKey(v);
            Map<String, Object> next = lines.get(i + 1 + k);
            assertThat(next).as("line %d", i + 2 + k)
                .containsEntry("task", v).containsEntry("status", "preempted").containsEntry("by", task);
            Task victim = tasks.get(v);
            Task preemptor = tasks.get(task);
            assertThat(victim.preemptible()).as("victim %s is preemptible", v).isTrue();
            if (java.util.Objects.equals(victim.queue(), preemptor.queue())) {
              assertThat(victim.priority()).as("priority of victim %s below preemptor %s", v, task)
                  .isLessThan(preemptor.priority());
            }
            // Else a reclaim: a queue within its guarantee takes back what another queue borrowed.
          }
          holding.put(task, (String) l.get("node"));
        }
        case "preempted" -> {
          String by = (String) l.get("by");
          assertThat(holding).as("line %d: preemptor %s is placed", i + 1, by).containsKey(by);
          assertThat(holding.remove(task)).as("line %d: victim %s was placed", i + 1, task).isNotNull();
          boolean announced = false;
          for (int j = i - 1; j >= 0 && !announced; j--) {
            Map<String, Object> earlier = lines.get(j);
            announced = "placed".equals(earlier.get("status")) && by.equals(earlier.get("task"))
                && victims(earlier).contains(task);
            if (!"preempted".equals(earlier.get("status"))) {
              break;
            }
          }
          assertThat(announced).as("line %d: %s listed on %s's placed line just above", i + 1, task, by).isTrue();
        }
        case "released", "evicted" -> holding.remove(task);
        default -> { }
      }
    }
  }

  /**
   * Replays the placed, preempted, released and evicted lines, and returns per device
   * ({@code node#index}) the most compute (milli) it ever held at once.
   */
  @SuppressWarnings("unchecked")
  Map<String, Integer> peakMilliPerDevice() {
    var held = new HashMap<String, Map<String, Integer>>();
    var load = new HashMap<String, Integer>();
    var peak = new HashMap<String, Integer>();
    for (Map<String, Object> l : lines) {
      String task = (String) l.get("task");
      switch ((String) l.get("status")) {
        case "placed" -> {
          // The victims listed here are gone before the preemptor takes their devices.
          for (String v : victims(l)) {
            Map<String, Integer> freed = held.remove(v);
            if (freed != null) {
              freed.forEach((key, milli) -> load.merge(key, -milli, Integer::sum));
            }
          }
          var devices = new HashMap<String, Integer>();
          for (Map<String, Object> d : (List<Map<String, Object>>) l.get("devices")) {
            String key = l.get("node") + "#" + d.get("index");
            int milli = ((Number) d.get("milli")).intValue();
            devices.merge(key, milli, Integer::sum);
            int now = load.merge(key, milli, Integer::sum);
            peak.merge(key, now, Math::max);
          }
          held.put(task, devices);
        }
        case "migrated" -> {
          // A move: the task leaves its devices and takes those on its line.
          Map<String, Integer> left = held.remove(task);
          if (left != null) {
            left.forEach((key, milli) -> load.merge(key, -milli, Integer::sum));
          }
          var devices = new HashMap<String, Integer>();
          for (Map<String, Object> d : (List<Map<String, Object>>) l.get("devices")) {
            String key = l.get("node") + "#" + d.get("index");
            int milli = ((Number) d.get("milli")).intValue();
            devices.merge(key, milli, Integer::sum);
            peak.merge(key, load.merge(key, milli, Integer::sum), Math::max);
          }
          held.put(task, devices);
        }
        case "preempted", "released", "evicted" -> {
          Map<String, Integer> devices = held.remove(task);
          if (devices != null) {
            devices.forEach((key, milli) -> load.merge(key, -milli, Integer::sum));
          }
        }
        default -> { }
      }
    }
    return peak;
  }
}
