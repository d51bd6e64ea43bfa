package io.flexsched.spi;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;

/** {@link DeviceSelector#bestFit()}. */
final class BestFitSelector implements DeviceSelector {
  static final BestFitSelector INSTANCE = new BestFitSelector();

  private BestFitSelector() {}

  @Override
  public boolean select(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    AcceleratorRequest r = task.accelerators();
    int need = r.count();
    if (need == 0) {
      return true;
    }
    int n = node.deviceCount();
    if (r.profile() != null) {
      return selectProfile(r, node, choice);
    }
    if (r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      for (int d = 0; d < n && choice.size() < need; d++) {
        if (DeviceFit.canHost(node, d, r)) {
          choice.add(d);
        }
      }
      return choice.size() == need;
    }
    // Shares: repeatedly take the fitting device with the least free compute not yet taken;
    // devices are few (at most 64), so a selection pass per device beats sorting.
    long taken = 0;
    for (int k = 0; k < need; k++) {
      int best = -1;
      int bestFree = Integer.MAX_VALUE;
      for (int d = 0; d < n; d++) {
        if ((taken & (1L << d)) == 0 && node.freeMilli(d) < bestFree && DeviceFit.canHost(node, d, r)) {
          best = d;
          bestFree = node.freeMilli(d);
        }
      }
      if (best < 0) {
        return false;
      }
      taken |= 1L << best;
      choice.add(best);
    }
    choice.sort();
    return true;
  }

  private static boolean selectProfile(AcceleratorRequest r, NodeView node, DeviceChoice choice) {
    long taken = 0;
    for (int k = 0; k < r.count(); k++) {
      int best = -1;
      int bestStart = DeviceFit.NO_START;
      int bestUnits = Integer.MAX_VALUE;
      for (int d = 0; d < node.deviceCount(); d++) {
        if ((taken & (1L << d)) != 0 || !r.allows(node.model(d))) {
          continue;
        }
        Profile p = node.model(d).profile(r.profile()).orElse(null);
        if (p == null) {
          continue;
        }
        int start = DeviceFit.firstFreeStart(node, d, p);
        if (start != DeviceFit.NO_START && node.freeComputeUnits(d) < bestUnits) {
          best = d;
          bestStart = start;
          bestUnits = node.freeComputeUnits(d);
        }
      }
      if (best < 0) {
        return false;
      }
      taken |= 1L << best;
      choice.add(best, bestStart);
    }
    choice.sort();
    return true;
  }
}
