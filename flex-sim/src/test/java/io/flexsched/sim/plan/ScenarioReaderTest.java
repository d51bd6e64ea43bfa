package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.SharingMode;
import io.flexsched.model.WorkloadDistribution.Shape;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {

  @Test
  void defaultsArePolicyFgdAndSeed42AndTheWorkloadIsEveryShape() {
    Scenario s = ScenarioReader.read("s.yaml", """
        nodes: [{name: n1, cpuMilli: 1000, memoryMiB: 1024, devices: {model: T4, count: 2}}]
        events:
          - task: {id: a, cpuMilli: 100, gpus: 1, gpuMilli: 500}
          - task: {id: b, cpuMilli: 100, gpus: 1, gpuMilli: 500}
          - task: {id: c, cpuMilli: 200}
        """);
    assertThat(s.policy()).isEqualTo("fgd");
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.workload().shapes()).extracting(Shape::cpuMilli, Shape::gpuMilli, Shape::weight)
        .containsExactly(
            tuple(100L, 500, 2.0 / 3),
            tuple(200L, 0, 1.0 / 3));
  }

  @Test
  void taskDefaultsGiveWholeDevicesWhenGpusAreAsked() {
    Scenario s = ScenarioReader.read("s.yaml", """
        events:
          - task: {id: a, gpus: 2}
          - task: {id: b}
        """);
    var a = ((ScenarioEvent.Submit) s.events().get(0)).task();
    var b = ((ScenarioEvent.Submit) s.events().get(1)).task();
    assertThat(a.accelerators().count()).isEqualTo(2);
    assertThat(a.accelerators().milliPerDevice()).isEqualTo(1000);
    assertThat(a.accelerators().memoryMiBPerDevice()).isZero();
    assertThat(a.cpuMilli()).isZero();
    assertThat(a.memoryMiB()).isZero();
    assertThat(b.accelerators().wantsDevices()).isFalse();
  }

  @Test
  void countExpandsWithIdenticalSpecsAndDevicesListsAppend() {
    Scenario s = ScenarioReader.read("s.yaml", """
        nodes:
          - name: n
            count: 3
            cpuMilli: 1000
            memoryMiB: 2048
            labels: {zone: z1}
            devices:
              - {model: T4, count: 2}
              - {model: A10}
        """);
    assertThat(s.nodes()).extracting(Node::name).containsExactly("n-0", "n-1", "n-2");
    Node n1 = s.nodes().get(1);
    assertThat(n1.cpuMilli()).isEqualTo(1000);
    assertThat(n1.labels()).isEqualTo(Map.of("zone", "z1"));
    assertThat(n1.devices()).extracting(d -> d.model().name()).containsExactly("T4", "T4", "A10");
  }

  @Test
  void definedModelsJoinTheCatalogueAndMayReplaceABuiltInOne() {
    Scenario s = ScenarioReader.read("s.yaml", """
        models:
          - {name: A100-40GB, vendor: nvidia, memoryMiB: 40960, sharing: fractional, granularityMilli: 50, maxSharers: 7}
          - {name: npu, vendor: acme, memoryMiB: 1024, sharing: whole}
          - {name: vg, vendor: acme, memoryMiB: 1024, sharing: fractional}
        nodes: [{name: n1, cpuMilli: 1, memoryMiB: 1, devices: {model: A100-40GB, count: 1}}]
        """);
    DeviceModel a100 = s.catalogue().require("A100-40GB");
    assertThat(a100.sharing()).isEqualTo(SharingMode.FRACTIONAL);
    assertThat(a100.granularityMilli()).isEqualTo(50);
    assertThat(a100.maxSharers()).isEqualTo(7);
    assertThat(s.nodes().get(0).devices().get(0).model()).isEqualTo(a100);
    assertThat(s.catalogue().require("npu").sharing()).isEqualTo(SharingMode.WHOLE);
    DeviceModel vg = s.catalogue().require("vg");
    assertThat(vg.granularityMilli()).isEqualTo(1);
    assertThat(vg.maxSharers()).isEqualTo(Integer.MAX_VALUE);
    assertThat(s.catalogue().find("T4")).isPresent();
  }

  @Test
  void anExplicitWorkloadIsNormalised() {
    Scenario s = ScenarioReader.read("s.yaml", """
        workload:
          - {cpuMilli: 4000, gpus: 1, gpuMilli: 500, weight: 3}
          - {gpus: 2, models: [T4]}
        events:
          - task: {id: a, cpuMilli: 1}
        """);
    assertThat(s.workload().shapes()).containsExactly(
        new Shape(4000, 1, 500, Set.of(), 0.75),
        new Shape(0, 2, 1000, Set.of("T4"), 0.25));
  }

  @Test
  void sectionsMayComeInAnyOrder() {
    Scenario s = ScenarioReader.read("s.yaml", """
        events:
          - task: {id: a, gpus: 1, gpuMilli: 100, models: vg}
        nodes: [{name: n1, cpuMilli: 1, memoryMiB: 1, devices: {model: vg}}]
        models: [{name: vg, vendor: acme, memoryMiB: 1024, sharing: fractional, granularityMilli: 100}]
        seed: 5
        policy: random
        """);
    assertThat(s.policy()).isEqualTo("random");
    assertThat(s.seed()).isEqualTo(5);
    assertThat(s.events()).hasSize(1);
  }

  @Test
  void aRemovedNodeNameMayJoinAgainAndAReleasedTaskIdBeReused() {
    Scenario s = ScenarioReader.read("s.yaml", """
        nodes: [{name: n1, cpuMilli: 1, memoryMiB: 1}]
        events:
          - task: {id: a}
          - release: a
          - task: {id: a}
          - removeNode: n1
          - addNode: {name: n1, cpuMilli: 2, memoryMiB: 2}
        """);
    assertThat(s.events()).hasSize(5);
    assertThat(((ScenarioEvent.AddNode) s.events().get(4)).nodes()).extracting(Node::cpuMilli).containsExactly(2L);
  }

  @Test
  void errorsAreTypedWithFileLineAndField() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", """
        nodes:
          - name: n1
            cpuMilli: 1
            memoryMiB: 1
        events:
          - task: {id: a, gpus: 65}
        """))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.file()).isEqualTo("s.yaml");
          assertThat(e.line()).isEqualTo(6);
          assertThat(e.field()).isEqualTo("task.gpus");
          assertThat(e.value()).isEqualTo("65");
          assertThat(e).isInstanceOf(InvalidSpecException.class)
              .hasMessage("s.yaml:6: task.gpus must be in 0..64, was 65");
        });
  }

  @Test
  void aModelErrorIsRethrownWithItsLineAndCause() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", """
        models:
          - name: vg
            vendor: acme
            memoryMiB: 1024
            sharing: fractional
            granularityMilli: 300
        """))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.line()).isEqualTo(6);
          assertThat(e).hasMessage("s.yaml:6: model vg granularityMilli must divide 1000, was 300")
              .hasCauseInstanceOf(InvalidSpecException.class);
        });
  }

  @Test
  void wholeModelsTakeNoShareSettings() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", """
        models:
          - {name: npu, vendor: acme, memoryMiB: 1024, sharing: whole,
             maxSharers: 2}
        """))
        .hasMessage("s.yaml:3: model.maxSharers is only for sharing: fractional or profiles");
  }

  @Test
  void unknownSharingNamesTheChoices() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", """
        models: [{name: npu, vendor: acme, memoryMiB: 1024, sharing: partial}]
        """))
        .hasMessage("s.yaml:1: model.sharing must be whole, fractional or profiles, was 'partial'");
  }

  @Test
  void aModelDefinedTwiceIsRejected() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", """
        models:
          - {name: npu, vendor: acme, memoryMiB: 1024, sharing: whole}
          - {name: npu, vendor: acme, memoryMiB: 2048, sharing: whole}
        """))
        .hasMessage("s.yaml:3: model.name must not repeat a model defined above, was 'npu'");
  }

  @Test
  void messagesStayOnOneLine() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", "nodes: [\n  {name: n1\n"))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("s.yaml:"));
  }

  @Test
  void listsOfEventsMustBeLists() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", "events: {task: {id: a}}\n"))
        .hasMessage("s.yaml:1: events must be a list, was a mapping");
  }
}
