package io.flexsched.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.hardware.ascend.AscendHardware;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicies;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.spi.ScoringPolicyProvider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Flex's own providers pass the kit, and the kit fails providers that break the contract. */
class ConformanceKitTest {
  static List<String> policies() {
    return List.copyOf(ScoringPolicies.available().keySet());
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyBuiltInPolicyConforms(String name) {
    PolicyConformance.check(ScoringPolicies.named(name), 4);
  }

  @Test
  void theAscendProviderConforms() {
    HardwareConformance.check(new AscendHardware(), 10);
  }

  @Test
  void aPolicyThatAlwaysPicksDeviceZeroFails() {
    ScoringPolicyProvider broken = new ScoringPolicyProvider() {
      @Override
      public String name() {
        return "device-zero";
      }

      @Override
      public String description() {
        return "always device 0";
      }

      @Override
      public ScoringPolicy create(PolicyContext context) {
        return new ScoringPolicy() {
          @Override
          public String name() {
            return "device-zero";
          }

          @Override
          public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext ctx) {
            if (task.accelerators().count() > 0) {
              choice.add(0);
            }
            return 1;
          }
        };
      }
    };
    assertThatThrownBy(() -> PolicyConformance.check(broken, 2)).isInstanceOf(ConformanceError.class)
        .satisfies(e -> assertThat(((ConformanceError) e).violations())
            .anyMatch(m -> m.contains("which cannot host task") || m.contains("devices (task")));
  }

  @Test
  void aProviderWhoseRulesTakeTooFewDevicesFails() {
    DeviceModel model = DeviceModel.whole("acme", "Half", 8_192);
    HardwareProvider broken = new HardwareProvider() {
      @Override
      public String vendor() {
        return "acme";
      }

      @Override
      public List<DeviceModel> models() {
        return List.of(model);
      }

      @Override
      public Optional<DeviceRules> rules(DeviceModel m) {
        return Optional.of(new DeviceRules() {
          @Override
          public boolean select(Task task, NodeView node, DeviceChoice choice) {
            choice.add(0); // one device, whatever was asked
            return true;
          }

          @Override
          public boolean admits(Task task, NodeView node, DeviceChoice choice) {
            return true;
          }
        });
      }
    };
    assertThatThrownBy(() -> HardwareConformance.check(broken, 2)).isInstanceOf(ConformanceError.class)
        .hasMessageContaining("hardware provider").hasMessageContaining("devices (task");
  }
}
