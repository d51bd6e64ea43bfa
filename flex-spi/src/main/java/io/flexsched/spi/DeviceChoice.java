package io.flexsched.spi;

import java.util.Arrays;

/**
 * The devices a policy picked on one node for one task: a small, reusable, mutable list of
 * device indices, each with a profile start where the request has a profile.
 */
public final class DeviceChoice {
  private int[] devices = new int[8];
  private int[] starts = new int[8];
  private int size;

  /** Empties the choice. */
  public void clear() {
    size = 0;
  }

  /** Adds a device without a profile position. */
  public void add(int device) {
    add(device, -1);
  }

  /** Adds a device with the slot at which the request's profile starts (-1 for none). */
  public void add(int device, int start) {
    if (size == devices.length) {
      devices = Arrays.copyOf(devices, size * 2);
      starts = Arrays.copyOf(starts, size * 2);
    }
    devices[size] = device;
    starts[size] = start;
    size++;
  }

  /** Number of devices chosen. */
  public int size() {
    return size;
  }

  /** The i-th chosen device's index. */
  public int device(int i) {
    return devices[i];
  }

  /** The i-th chosen device's profile start, or -1. */
  public int start(int i) {
    return starts[i];
  }

  /** Makes this choice equal to {@code other}. */
  public void copyFrom(DeviceChoice other) {
    clear();
    for (int i = 0; i < other.size; i++) {
      add(other.devices[i], other.starts[i]);
    }
  }

  /** Sorts the chosen devices by index (starts move with their devices). */
  public void sort() {
    for (int i = 1; i < size; i++) {
      int d = devices[i];
      int s = starts[i];
      int j = i - 1;
      while (j >= 0 && devices[j] > d) {
        devices[j + 1] = devices[j];
        starts[j + 1] = starts[j];
        j--;
      }
      devices[j + 1] = d;
      starts[j + 1] = s;
    }
  }

  @Override
  public String toString() {
    var b = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(devices[i]);
      if (starts[i] >= 0) {
        b.append('@').append(starts[i]);
      }
    }
    return b.append(']').toString();
  }
}
