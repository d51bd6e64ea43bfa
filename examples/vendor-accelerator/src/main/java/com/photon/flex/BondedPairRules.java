package com.photon.flex;

import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;

/**
 * P1 devices are wired in bonded pairs (0-1, 2-3, ...): a task takes one device, or whole free
 * pairs (2, 4, 6, ... devices). One device goes to a pair already half used when there is one, so
 * whole pairs stay free; otherwise to the lowest free device.
 */
public final class BondedPairRules implements DeviceRules {
  @Override
  public boolean select(Task task, NodeView node, DeviceChoice choice) {
    int need = task.accelerators().count();
    if (need == 0) {
      return true;
    }
    if (need == 1) {
      int fallback = -1;
      for (int d = 0; d < node.deviceCount(); d++) {
        if (!node.canHost(d, task.accelerators())) {
          continue;
        }
        int partner = d ^ 1;
        if (partner < node.deviceCount() && !node.canHost(partner, task.accelerators())) {
          choice.add(d);
          return true;
        }
        if (fallback < 0) {
          fallback = d;
        }
      }
      if (fallback >= 0) {
        choice.add(fallback);
      }
      return fallback >= 0;
    }
    if (need % 2 != 0) {
      return false;
    }
    for (int d = 0; d + 1 < node.deviceCount() && choice.size() < need; d += 2) {
      if (node.canHost(d, task.accelerators()) && node.canHost(d + 1, task.accelerators())) {
        choice.add(d);
        choice.add(d + 1);
      }
    }
    return choice.size() == need;
  }

  @Override
  public boolean admits(Task task, NodeView node, DeviceChoice choice) {
    if (choice.size() <= 1) {
      return true;
    }
    if (choice.size() % 2 != 0) {
      return false;
    }
    long chosen = 0;
    for (int i = 0; i < choice.size(); i++) {
      chosen |= 1L << choice.device(i);
    }
    for (int i = 0; i < choice.size(); i++) {
      if ((chosen & (1L << (choice.device(i) ^ 1))) == 0) {
        return false;
      }
    }
    return true;
  }
}
