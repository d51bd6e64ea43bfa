package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import io.flexsched.core.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code flex plan} gives the same answer every time, under every policy. */
class PlanDeterminismTest {
  private static final Pattern LINE = Pattern.compile(
      "\\{\"task\":\"(a\\d+)\",\"status\":\"(placed\",\"node\":\"[a-z0-9-]+\",\"devices\":\\[.*]"
          + "|pending\",\"reasons\":\\{.+}"
          + "|released\"(,\"node\":\"[a-z0-9-]+\")?"
          + "|evicted\",\"node\":\"v-1\",\"cause\":\"node-removed\")}");

  @TempDir
  Path dir;

  @Test
  void theSameFileTwiceGivesTheSameLines() {
    PlanRun first = PlanRun.of("mixed.yaml");
    PlanRun second = PlanRun.of("mixed.yaml");
    assertThat(first.exit()).isEqualTo(FlexCommand.OK);
    assertThat(first.lines()).hasSizeGreaterThanOrEqualTo(13);
    assertThat(second).isEqualTo(first);
  }

  static Stream<String> policies() {
    return Scheduler.scoringPolicies().keySet().stream();
  }

  @Test
  void theBuiltInPoliciesAreAllOffered() {
    assertThat(policies()).contains("fgd", "fgd-exact", "flexfit", "bestfit", "dotprod", "packing", "clustering", "random");
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyPolicyRunsTheMixedScenarioTwiceAlike(String policy) throws IOException {
    Path file = dir.resolve(policy + ".yaml");
    Files.writeString(file, "policy: " + policy + "\n" + Files.readString(PlanRun.scenario("mixed.yaml")));
    PlanRun run = PlanRun.of(file);
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    var firstSeen = new LinkedHashSet<String>();
    var released = new ArrayList<String>();
    for (String line : run.lines()) {
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      firstSeen.add(m.group(1));
      if (m.group(2).startsWith("released")) {
        released.add(m.group(1));
      }
    }
    // Every task gets a first line in submission order; the two releases are reported.
    assertThat(firstSeen).startsWith("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10")
        .contains("a11", "a12", "a13");
    assertThat(released).containsExactly("a2", "a4");
    assertThat(PlanRun.of(file)).isEqualTo(run);
  }

  @Test
  void aDifferentSeedIsAccepted() throws IOException {
    Path file = dir.resolve("seeded.yaml");
    Files.writeString(file, Files.readString(PlanRun.scenario("mixed.yaml")).replace("seed: 7", "seed: -3"));
    PlanRun run = PlanRun.of(file);
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    assertThat(run.lines()).hasSizeGreaterThanOrEqualTo(13);
    assertThat(PlanRun.of(file)).isEqualTo(run);
  }
}
