package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code flex plan} with NUMA layouts ({@code numa:} on a node) and NUMA affinity ({@code numa:}
 * on a task). The expected lines are worked out by hand in the scenario file's comments, not
 * copied from a run; a pinned placement's line ends in {@code "numa":k}, an unpinned one's is as
 * it always was.
 */
class NumaScenarioTest {
  private static final String PAIR_0_1 = "[{\"index\":0,\"milli\":1000,\"memoryMiB\":40960},{\"index\":1,\"milli\":1000,\"memoryMiB\":40960}]";
  private static final String PAIR_2_3 = "[{\"index\":2,\"milli\":1000,\"memoryMiB\":40960},{\"index\":3,\"milli\":1000,\"memoryMiB\":40960}]";

  @Test
  void aRequiredTaskTakesOneSocketOrWaitsAndAPreferredOneSpreadsOnlyWhenNoSocketHoldsIt() {
    PlanRun run = PlanRun.of("hardware/numa-sockets.yaml");

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    assertThat(run.linesWithoutNearest()).containsExactly(
        "{\"task\":\"hog\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[],\"numa\":0}",
        "{\"task\":\"quad\",\"status\":\"pending\",\"reasons\":{\"numa\":1}}",
        "{\"task\":\"pair\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":" + PAIR_2_3 + ",\"numa\":1}",
        "{\"task\":\"spread\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":" + PAIR_0_1 + "}");
    // The nearest miss names the reason, and what the closest socket lacks: two more GPUs.
    assertThat(run.lines().get(1)).contains("\"nearest\":{\"node\":\"n1\",\"reason\":\"numa\",\"lacks\":{\"gpus\":2}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      numa-cpu-sum.yaml       | 7 | node n1 numa cpuMilli must sum to the node's cpuMilli 16000, was 12000
      numa-device-twice.yaml  | 7 | node n1 numa[1].devices must not repeat a device of numa[0], was 1
      numa-value.yaml         | 7 | task.numa must be one of none, preferred, required, was 'always'
      """)
  void badNumaInputIsRejectedWithFileLineAndField(String file, int line, String message) {
    PlanRun run = PlanRun.of("bad/" + file);

    assertThat(run.out()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("flex: ").contains(file + ":" + line + ": " + message).doesNotContain("Exception");
  }
}
