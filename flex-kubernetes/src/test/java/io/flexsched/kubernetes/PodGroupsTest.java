package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.flexsched.model.InvalidSpecException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading PodGroups and their members' labels. */
class PodGroupsTest {
  private static GenericKubernetesResource group(String name, Object minMember) {
    return new GenericKubernetesResourceBuilder().withApiVersion(PodGroups.API_VERSION).withKind(PodGroups.KIND)
        .withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .addToAdditionalProperties("spec", Map.of("minMember", minMember)).build();
  }

  private static Pod member(String group) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").withLabels(Map.of(PodGroups.LABEL, group))
        .endMetadata().withNewSpec().endSpec().build();
  }

  @Test
  void aLabelledPodIsAGangMemberOnceItsGroupIsKnown() {
    var groups = new PodGroups(true);
    assertThat(groups.groupOf(member("train"))).isEqualTo("ns/train");
    assertThat(groups.gang(member("train"))).isNull();
    assertThat(groups.put(group("train", 4))).isEqualTo("ns/train");
    assertThat(groups.gang(member("train"))).satisfies(g -> {
      assertThat(g.name()).isEqualTo("ns/train");
      assertThat(g.size()).isEqualTo(4);
    });
    groups.remove(group("train", 4));
    assertThat(groups.gang(member("train"))).isNull();
  }

  @Test
  void withoutTheApiTheLabelMeansNothing() {
    var groups = new PodGroups(false);
    assertThat(groups.groupOf(member("train"))).isNull();
  }

  @Test
  void aMalformedMinMemberIsNamedAndForgetsTheGroup() {
    var groups = new PodGroups(true);
    groups.put(group("train", 2));
    for (Object bad : new Object[] {"three", 0, 2.5, 20_000}) {
      assertThatThrownBy(() -> groups.put(group("train", bad))).isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("spec.minMember").hasMessageContaining(String.valueOf(bad));
      assertThat(groups.gang(member("train"))).isNull();
    }
  }
}
