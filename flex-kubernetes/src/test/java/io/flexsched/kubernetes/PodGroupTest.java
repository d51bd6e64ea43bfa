package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.gpuNode;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static io.flexsched.kubernetes.SecondarySchedulerTest.bound;
import static io.flexsched.kubernetes.SecondarySchedulerTest.pause;
import static io.flexsched.kubernetes.SecondarySchedulerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Gangs declared as scheduler-plugins PodGroups, with that CRD installed on a real kube-apiserver. */
@ExtendWith(KubeApiServer.Extension.class)
class PodGroupTest {
  private static final Map<String, String> ONE_GPU = res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1");

  private KubeScheduler scheduler;
  private KubernetesClient k;
  private String ns;

  @BeforeEach
  void start(KubeApiServer api) {
    k = api.client();
    if (k.apiextensions().v1().customResourceDefinitions().withName("podgroups.scheduling.x-k8s.io").get() == null) {
      k.apiextensions().v1().customResourceDefinitions().resource(podGroupCrd()).create();
      waitFor(Duration.ofSeconds(30), () -> PodGroups.served(k));
    }
    ns = api.namespace("groups");
    k.nodes().resource(gpuNode(ns + "-n0", 4)).create();
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry());
    scheduler.start();
  }

  @AfterEach
  void stop() {
    scheduler.close();
    k.nodes().delete();
  }

  @Test
  void membersOfAPodGroupBindOnlyOnceMinMemberOfThemAreThere() {
    createGroup("train", 3);
    createMember("w-0", "train");
    createMember("w-1", "train");
    pause(2000);
    assertThat(k.pods().inNamespace(ns).list().getItems()).noneMatch(SecondarySchedulerTest::bound);

    createMember("w-2", "train");
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    assertThat(k.pods().inNamespace(ns).list().getItems()).hasSize(3);
  }

  @Test
  void membersThatArriveBeforeTheirPodGroupWaitForIt() {
    createMember("early-0", "late");
    createMember("early-1", "late");
    pause(2000);
    assertThat(k.pods().inNamespace(ns).list().getItems()).noneMatch(SecondarySchedulerTest::bound);

    createGroup("late", 2);
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
  }

  @Test
  void aPodGroupLargerThanTheClusterBindsNothing() {
    createGroup("big", 5);
    for (int i = 0; i < 5; i++) {
      createMember("big-" + i, "big");
    }
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream()
        .allMatch(SecondarySchedulerTest::unschedulable));
    assertThat(k.pods().inNamespace(ns).list().getItems()).noneMatch(SecondarySchedulerTest::bound);
  }

  private void createGroup(String name, int minMember) {
    GenericKubernetesResource group = new GenericKubernetesResourceBuilder()
        .withApiVersion(PodGroups.API_VERSION).withKind(PodGroups.KIND)
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .addToAdditionalProperties("spec", Map.of("minMember", minMember)).build();
    k.genericKubernetesResources(PodGroups.API_VERSION, PodGroups.KIND).inNamespace(ns).resource(group).create();
  }

  private void createMember(String name, String group) {
    Pod p = pod(ns, name, ns, ONE_GPU, Map.of());
    p.getMetadata().setLabels(Map.of(PodGroups.LABEL, group));
    k.pods().resource(p).create();
    assertThat(bound(k.pods().inNamespace(ns).withName(name).get())).isFalse();
  }

  /** The scheduler-plugins PodGroup CRD, reduced to what Flex reads (spec.minMember). */
  private static CustomResourceDefinition podGroupCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("podgroups.scheduling.x-k8s.io").endMetadata()
        .withNewSpec().withGroup("scheduling.x-k8s.io").withScope("Namespaced")
          .withNewNames().withKind("PodGroup").withPlural("podgroups").withSingular("podgroup").endNames()
          .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
            .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema().endSchema()
          .endVersion()
        .endSpec().build();
  }
}
