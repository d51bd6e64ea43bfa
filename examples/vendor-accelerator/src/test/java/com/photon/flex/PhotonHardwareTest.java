package com.photon.flex;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Scheduler;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.testkit.HardwareConformance;
import io.flexsched.sim.cli.FlexCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The P1 reaches Flex only through ServiceLoader, and schedules end to end through flex plan. */
class PhotonHardwareTest {
  private static String device(int index) {
    return "{\"index\":" + index + ",\"milli\":1000,\"memoryMiB\":24576}";
  }

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(HardwareProvider.class)).anyMatch(p -> p instanceof PhotonHardware);
    assertThat(Scheduler.catalogue().find("P1")).isPresent();
  }

  @Test
  void passesTheConformanceKit() {
    HardwareConformance.check(new PhotonHardware(), 10);
  }

  @Test
  void schedulesThroughFlexPlan() throws URISyntaxException {
    Path scenario = Path.of(getClass().getResource("/photon.yaml").toURI());
    var out = new StringWriter();
    var err = new StringWriter();
    int code = FlexCommand.execute(new String[] {"plan", scenario.toString()}, new PrintWriter(out), new PrintWriter(err));
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    String p = "\"status\":\"placed\",\"node\":\"p\",\"devices\":[";
    assertThat(out.toString().lines()).containsExactly(
        "{\"task\":\"t1\"," + p + device(0) + "]}",
        "{\"task\":\"t2\"," + p + device(2) + "," + device(3) + "]}",
        // The only node has the free devices but its bonded-pair rule refuses them: the nearest miss lacks nothing.
        "{\"task\":\"t4\",\"status\":\"pending\",\"reasons\":{\"device-rules\":1},"
            + "\"nearest\":{\"node\":\"p\",\"reason\":\"device-rules\",\"lacks\":{}}}",
        "{\"task\":\"t3\"," + p + device(1) + "]}",
        "{\"task\":\"t5\"," + p + device(4) + "," + device(5) + "]}");
  }
}
