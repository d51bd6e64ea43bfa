package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad scenario files: exit 2, nothing on stdout, and exactly one line on stderr that names the
 * file, the line and the field, with no stack trace.
 */
class PlanBadInputTest {

  @TempDir
  Path dir;

  private static void assertBadInput(PlanRun run, String file, int line, String field) {
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(run.exit()).as("exit code of " + run.err()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(run.err().lines()).as("stderr lines").hasSize(1);
    String message = run.err().lines().findFirst().orElseThrow();
    assertThat(message).startsWith("flex: ").contains(file + ":" + line + ": ").contains(field);
    assertThat(run.err()).doesNotContain("Exception", "\tat ", "internal error");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown-key.yaml            | 6 | unknown key 'gpuz' in task
      negative-value.yaml         | 6 | task.cpuMilli must be at least 0, was -100
      unknown-model.yaml          | 5 | node.devices.model must be a built-in model or one defined under models
      unknown-model.yaml          | 5 | was 'X100'
      duplicate-node.yaml         | 3 | node.name must not repeat a node of the cluster (count expands n2 to n2-0..n2-2), was 'n2-1'
      yaml-syntax.yaml            | 5 | started on line 4 at 'memoryMiB'
      yaml-mapping.yaml           | 3 | not valid YAML at 'cpuMilli'
      yaml-tab.yaml               | 3 | not valid YAML at 'cpuMilli'
      wrong-type.yaml             | 4 | task.gpus must be a whole number, was 'two'
      bad-seed.yaml               | 1 | seed must be a whole number, was 4.2
      unknown-policy.yaml         | 1 | policy must be one of [
      unknown-policy.yaml         | 1 | was 'fastest'
      gpu-milli-range.yaml        | 4 | task.gpuMilli must be in 1..1000, was 1200
      gpu-milli-without-gpus.yaml | 7 | task.gpuMilli must be 0 when gpus is 0, was 500
      granularity.yaml            | 9 | task.gpuMilli must be a multiple of vgpu's granularity 50, was 333
      release-unknown.yaml        | 6 | release must name a task submitted above and not yet released, was 't1'
      remove-unknown-node.yaml    | 5 | removeNode must name a node of the cluster at that point, was 'n1'
      add-duplicate-node.yaml     | 4 | addNode.name must not repeat a node of the cluster, was 'n1'
      duplicate-task.yaml         | 6 | task.id must not repeat a task that is still placed or queued, was 't1'
      duplicate-key.yaml          | 7 | duplicate key 'cpuMilli' in task
      two-event-keys.yaml         | 4 | an event must have exactly one of the keys task, release, removeNode, addNode
      unknown-event.yaml          | 4 | unknown key 'drain' in event
      missing-id.yaml             | 4 | task.id is required
      task-unknown-model.yaml     | 4 | task.models must name built-in models or ones defined under models
      empty.yaml                  | 1 | scenario is empty
      not-a-mapping.yaml          | 1 | scenario must be a mapping, was a list
      bad-label.yaml              | 5 | labels key must be a non-empty name
      bad-weight.yaml             | 2 | workload.weight must be a positive number, was 0
      zero-count.yaml             | 2 | node.count must be in 1..100000, was 0
      bad-links.yaml              | 6 | links[0][1] must equal links[1][0] = 60 (symmetric), was 100
      bad-links-size.yaml         | 6 | links must be sized to the device count 2, was 3x3
      bad-gang-size.yaml          | 7 | gang.size must be at least 1, was 0
      bad-profile.yaml            | 6 | task.profile must be a profile of an allowed model, was '5g.30gb'
      bad-profile-geometry.yaml   | 2 | model XPU profile half starts must leave room for 2 slots within 4, was 3
      bad-min-link.yaml           | 7 | task.minLinkScore needs gpus of at least 2, was 50
      queue-undefined.yaml        | 7 | task.queue must name a queue defined under queues:, and the scenario defines none, was 'team-a'
      queue-unknown.yaml          | 6 | task.queue must be one of the queues [a], was 'b'
      queue-guarantee-above-limit.yaml | 5 | guaranteedGpus must be at most limitGpus
      queue-gpus-decimals.yaml    | 4 | queue.guaranteedGpus must have at most 3 decimals, was 0.0005
      queue-duplicate.yaml        | 5 | queue.name must not repeat a queue defined above, was 'a'
      queue-unknown-key.yaml      | 5 | unknown key 'guaranteed' in queue
      queue-weight-zero.yaml      | 2 | queue.weight must be a positive number, was 0
      duplicate-waiting-member.yaml | 5 | task.id must not repeat a task that is still placed or queued, was 'm0'
      gang-mixed-queues.yaml      | 8 | task.queue must be the same on every member of gang job (m0 has a), was 'b'
      bad-preemption.yaml         | 1 | preemption must be one of [exact, greedy, none], was 'optimal'
      bad-ordering.yaml           | 3 | ordering must be one of [backfill, strict-fifo], was 'lifo'
      preemptible-not-bool.yaml   | 6 | task.preemptible must be true or false, was 'maybe'
      priority-not-whole.yaml     | 7 | task.priority must be a whole number, was 'high'
      reserve-after-strict.yaml   | 2 | reserveAfter is only for ordering: backfill, was 3
      reserve-after-zero.yaml     | 2 | reserveAfter must be at least 1, was 0
      """)
  void isRejectedWithFileLineAndField(String file, int line, String field) {
    assertBadInput(PlanRun.of("bad/" + file), file, line, field);
  }

  @Test
  void aTaskRepeatedWhilePlacedPrintsNothingEvenAfterEarlierDecisions() {
    // duplicate-task.yaml places t1 and t2 before the repeat is found: none of it may be printed.
    PlanRun run = PlanRun.of("bad/duplicate-task.yaml");
    assertThat(run.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMissingFileIsBadInput() {
    Path missing = dir.resolve("missing.yaml");
    PlanRun run = PlanRun.of(missing);
    assertThat(run.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("flex: " + missing + ": no such scenario file");
  }

  @Test
  void aFileThatIsNotUtf8IsBadInput() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'o', 'd', 'e', 's', ':', ' ', (byte) 0xe9, '\n'});
    PlanRun run = PlanRun.of(file);
    assertThat(run.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("flex: " + file + ":1: the scenario file is not UTF-8 text (bytes E9 after 'nodes:')");
  }

  @Test
  void aNumberTooLargeNamesItsBound() throws IOException {
    Path file = dir.resolve("huge.yaml");
    Files.writeString(file, "nodes:\n  - {name: n1, cpuMilli: 99999999999999999999, memoryMiB: 1}\n");
    assertBadInput(PlanRun.of(file), "huge.yaml", 2, "node.cpuMilli must be at most 9223372036854775807, was 99999999999999999999");
  }

  @Test
  void aReleaseOfAnEvictedTaskIsAcknowledgedNotAnError() {
    // remove-add.yaml releases t2 after its node was removed: that is a released line, exit 0.
    PlanRun run = PlanRun.of("remove-add.yaml");
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    assertThat(run.lines()).contains("{\"task\":\"t2\",\"status\":\"released\"}");
  }
}
