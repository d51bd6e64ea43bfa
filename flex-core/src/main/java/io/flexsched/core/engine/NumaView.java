package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;
import java.util.List;

/**
 * A node as a task pinned to one of its NUMA nodes sees it: the devices of other NUMA nodes look
 * fully taken and the free CPU is what that NUMA node can still pin. Policies and device rules are
 * asked through it, so every one of them, built-in or not, keeps to the NUMA node unchanged.
 */
final class NumaView implements NodeView {
  private final ClusterState state;
  private final NodeCursor cursor;
  private int node;
  private int numa;

  NumaView(ClusterState state) {
    this.state = state;
    this.cursor = new NodeCursor(state);
  }

  /** This view over NUMA node {@code k} of node {@code n}. */
  NumaView at(int n, int k) {
    cursor.at(n);
    this.node = n;
    this.numa = k;
    return this;
  }

  private boolean mine(int device) {
    return state.numa.of(node, device) == numa;
  }

  @Override
  public int ordinal() {
    return cursor.ordinal();
  }

  @Override
  public Node spec() {
    return cursor.spec();
  }

  /**
   * Negative, and distinct per NUMA node: a policy that caches what it saw of a node under its
   * stamp must not mistake this partial view for the whole node, nor one NUMA node for another.
   */
  @Override
  public long stateStamp() {
    return -(cursor.stateStamp() * 65 + numa + 2);
  }

  @Override
  public long freeCpuMilli() {
    return Math.min(cursor.freeCpuMilli(), state.numa.unpinned(node, numa));
  }

  @Override
  public long freeMemoryMiB() {
    return cursor.freeMemoryMiB();
  }

  @Override
  public int deviceCount() {
    return cursor.deviceCount();
  }

  @Override
  public DeviceModel model(int device) {
    return cursor.model(device);
  }

  @Override
  public int freeMilli(int device) {
    return mine(device) ? cursor.freeMilli(device) : 0;
  }

  @Override
  public long freeDeviceMemoryMiB(int device) {
    return mine(device) ? cursor.freeDeviceMemoryMiB(device) : 0;
  }

  @Override
  public int freeSharers(int device) {
    return mine(device) ? cursor.freeSharers(device) : 0;
  }

  @Override
  public long timeSliceWeights(int device) {
    return cursor.timeSliceWeights(device);
  }

  @Override
  public int freeComputeUnits(int device) {
    return mine(device) ? cursor.freeComputeUnits(device) : 0;
  }

  @Override
  public long freeSlots(int device) {
    return mine(device) ? cursor.freeSlots(device) : 0;
  }

  @Override
  public boolean isIdle(int device) {
    return mine(device) && cursor.isIdle(device);
  }

  @Override
  public boolean canHost(int device, AcceleratorRequest request) {
    boolean can = NodeView.super.canHost(device, request);
    return can && mine(device);
  }

  @Override
  public int firstFreeStart(int device, Profile profile) {
    int start = NodeView.super.firstFreeStart(device, profile);
    return mine(device) ? start : NO_START;
  }

  @Override
  public long totalFreeMilli() {
    long total = 0;
    for (int d = 0; d < cursor.deviceCount(); d++) {
      total += freeMilli(d);
    }
    return total;
  }

  @Override
  public int idleDevices() {
    int idle = 0;
    for (int d = 0; d < cursor.deviceCount(); d++) {
      idle += isIdle(d) ? 1 : 0;
    }
    return idle;
  }

  @Override
  public List<Task> tasks() {
    return cursor.tasks();
  }

  @Override
  public DeviceRules deviceRules() {
    return cursor.deviceRules();
  }
}
