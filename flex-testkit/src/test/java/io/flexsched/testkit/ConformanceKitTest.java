package io.flexsched.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.Scheduler;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Flex's own providers pass the kit, and the kit fails providers that break the contract. The
 * providers are found as a user's would be, with {@link ServiceLoader}: their classes are not
 * exported by flex-core's module.
 */
class ConformanceKitTest {
  private static List<ScoringPolicy.Provider> providers() {
    return ServiceLoader.load(ScoringPolicy.Provider.class).stream().map(ServiceLoader.Provider::get).toList();
  }

  static List<Named<ScoringPolicy.Provider>> policies() {
    return providers().stream().map(p -> Named.of(p.name(), p)).toList();
  }

  @Test
  void serviceLoaderFindsEveryBuiltInPolicy() {
    assertThat(providers()).extracting(ScoringPolicy.Provider::name)
        .containsExactlyInAnyOrderElementsOf(Scheduler.scoringPolicies().keySet())
        .contains("bestfit", "clustering", "dotprod", "fgd", "fgd-exact", "flexfit", "packing", "random");
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyBuiltInPolicyConforms(ScoringPolicy.Provider provider) {
    PolicyConformance.check(provider, 4);
  }

  @Test
  void theAscendProviderConforms() {
    List<HardwareProvider> ascend = ServiceLoader.load(HardwareProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.getClass().getName().equals("io.flexsched.hardware.ascend.AscendHardware")).toList();
    assertThat(ascend).as("the built-in Ascend provider, found by ServiceLoader").hasSize(1);
    HardwareConformance.check(ascend.get(0), 10);
  }

  @Test
  void aPolicyThatAlwaysPicksDeviceZeroFails() {
    ScoringPolicy.Provider broken = new ScoringPolicy.Provider() {
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
  void aProviderOfTimeSlicedDevicesUnderTheStandardRulesConforms() {
    // The probes ask time slices of such a model: quotas in its steps, weights 1 to 8.
    DeviceModel npu = DeviceModel.timeSliced("acme", "TS-NPU", 65_536, 50, 20);
    HardwareProvider timeSliced = new HardwareProvider() {
      @Override
      public String vendor() {
        return "acme";
      }

      @Override
      public List<DeviceModel> models() {
        return List.of(npu);
      }
    };
    HardwareConformance.check(timeSliced, 5);
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
