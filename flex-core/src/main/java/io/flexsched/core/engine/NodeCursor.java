package io.flexsched.core.engine;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;
import java.util.List;

/** The engine's {@link NodeView}: a reusable cursor over {@link ClusterState}'s columns. */
final class NodeCursor implements NodeView {
  private final ClusterState state;
  private int node;
  private int base;

  NodeCursor(ClusterState state) {
    this.state = state;
  }

  NodeCursor at(int ordinal) {
    this.node = ordinal;
    this.base = state.devStart[ordinal];
    return this;
  }

  @Override
  public int ordinal() {
    return node;
  }

  @Override
  public Node spec() {
    return state.spec(node);
  }

  @Override
  public long stateStamp() {
    return state.stamp[node];
  }

  @Override
  public long freeCpuMilli() {
    return state.cpuFree[node];
  }

  @Override
  public long freeMemoryMiB() {
    return state.memFree[node];
  }

  @Override
  public int deviceCount() {
    return state.devCount[node];
  }

  @Override
  public DeviceModel model(int device) {
    return state.model[base + check(device)];
  }

  @Override
  public int freeMilli(int device) {
    return state.milliFree[base + check(device)];
  }

  @Override
  public long freeDeviceMemoryMiB(int device) {
    return state.dmemFree[base + check(device)];
  }

  @Override
  public int freeSharers(int device) {
    int g = base + check(device);
    return state.model[g].maxSharers() - state.tenants[g];
  }

  @Override
  public long timeSliceWeights(int device) {
    return state.timeSlices.weights(base + check(device));
  }

  @Override
  public int freeComputeUnits(int device) {
    return state.unitsFree[base + check(device)];
  }

  @Override
  public long freeSlots(int device) {
    return state.slotsFree[base + check(device)];
  }

  @Override
  public boolean isIdle(int device) {
    return state.tenants[base + check(device)] == 0;
  }

  @Override
  public long totalFreeMilli() {
    return state.totalFreeMilli[node];
  }

  @Override
  public int idleDevices() {
    return state.idleDevices[node];
  }

  @Override
  public List<Task> tasks() {
    return state.tasksOn(node);
  }

  @Override
  public DeviceRules deviceRules() {
    return state.rules(node);
  }

  private int check(int device) {
    if (device < 0 || device >= state.devCount[node]) {
      throw new IndexOutOfBoundsException("device " + device + " of node " + state.spec(node).name()
          + " (it has " + state.devCount[node] + ")");
    }
    return device;
  }
}
