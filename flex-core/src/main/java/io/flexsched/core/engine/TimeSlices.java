package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.SharingMode;
import java.util.Arrays;

/**
 * The summed weights of the time slices on each device of a {@link SharingMode#TIME_SLICED}
 * model, by global device slot. A slice's quota rides on the device's milli counter (a
 * guaranteed time share is the milli it takes), so admission's {@code milliFree >= quota} is
 * exactly "the quotas never sum above 1000"; the weights are the one thing the counters lack.
 * They come from the placed task's request, so a release gives back exactly what was taken.
 * Device slots are never reused, so a slot never seen here holds weight 0.
 */
final class TimeSlices {
  private long[] weights = new long[64];

  /**
   * The weight a slice of {@code r} counts on a device of {@code m}: the request's own for a time
   * slice, 1 for any other task on a time-sliced device (a share is a time slice of its milli
   * with the least weight), 0 on other models.
   */
  static int weightOf(AcceleratorRequest r, DeviceModel m) {
    return m.sharing() != SharingMode.TIME_SLICED ? 0 : Math.max(1, r.weight());
  }

  /** Adds ({@code sign} +1, a release) or takes ({@code sign} -1, a placement) one slice of {@code r} on slot {@code g}. */
  void apply(int g, DeviceModel m, AcceleratorRequest r, int sign) {
    int w = weightOf(r, m);
    if (w == 0) {
      return;
    }
    if (g >= weights.length) {
      weights = Arrays.copyOf(weights, Math.max(g + 1, weights.length * 2));
    }
    weights[g] -= (long) sign * w;
  }

  /** The summed weights on slot {@code g}. */
  long weights(int g) {
    return g < weights.length ? weights[g] : 0;
  }
}
