package io.flexsched.core.engine;

import java.util.Arrays;

/**
 * Everything a state-dependent policy can see of one node, as a value: its specification apart
 * from its name (a class id), free CPU and memory, every device's counters in index order, and
 * the shapes of the tasks on it. Nodes with equal keys get equal scores and device choices, so a
 * state is scored once however many nodes are in it: the canonical key of a state (see
 * {@link ScoreIndex#canonical}) carries the policy's answers in that state, by task shape.
 */
final class NodeStateKey {
  private final int specClass;
  private final long cpuFree;
  private final long memFree;
  private final long[] devices;
  private final int[] taskShapes;
  private final int hash;
  // The policy's answers in this state, by task shape: a small open-addressing map.
  private int[] shapes;
  private ScoreIndex.Answer[] answers;
  private int size;

  /** Node {@code n}'s key as {@code s} stands: every device's counters, then its CPU pinned per NUMA node. */
  static NodeStateKey of(ClusterState s, int n) {
    int count = s.devCount[n];
    long[] pins = s.numa.pinned[n];
    long[] devices = new long[count * 4 + pins.length];
    for (int i = 0; i < count; i++) {
      int g = s.devStart[n] + i;
      devices[4 * i] = ((long) s.milliFree[g] << 32) | (s.tenants[g] & 0xFFFFFFFFL);
      devices[4 * i + 1] = s.dmemFree[g];
      devices[4 * i + 2] = s.unitsFree[g];
      devices[4 * i + 3] = s.slotsFree[g];
    }
    System.arraycopy(pins, 0, devices, count * 4, pins.length);
    return new NodeStateKey(s.specClass(n), s.cpuFree[n], s.memFree[n], devices, s.shapesOn.sorted(n));
  }

  NodeStateKey(int specClass, long cpuFree, long memFree, long[] devices, int[] taskShapes) {
    this.specClass = specClass;
    this.cpuFree = cpuFree;
    this.memFree = memFree;
    this.devices = devices;
    this.taskShapes = taskShapes;
    int h = specClass;
    h = 31 * h + Long.hashCode(cpuFree);
    h = 31 * h + Long.hashCode(memFree);
    h = 31 * h + Arrays.hashCode(devices);
    this.hash = 31 * h + Arrays.hashCode(taskShapes);
  }

  /** The answer remembered for {@code shape} in this state, or null. */
  ScoreIndex.Answer answer(int shape) {
    if (shapes == null) {
      return null;
    }
    int mask = shapes.length - 1;
    for (int i = mix(shape) & mask; ; i = (i + 1) & mask) {
      if (answers[i] == null) {
        return null;
      }
      if (shapes[i] == shape) {
        return answers[i];
      }
    }
  }

  /** Remembers {@code answer} for {@code shape} in this state. */
  void remember(int shape, ScoreIndex.Answer answer) {
    if (shapes == null || 2 * (size + 1) > shapes.length) {
      int[] oldShapes = shapes;
      ScoreIndex.Answer[] oldAnswers = answers;
      shapes = new int[oldShapes == null ? 8 : oldShapes.length * 2];
      answers = new ScoreIndex.Answer[shapes.length];
      size = 0;
      if (oldShapes != null) {
        for (int i = 0; i < oldShapes.length; i++) {
          if (oldAnswers[i] != null) {
            remember(oldShapes[i], oldAnswers[i]);
          }
        }
      }
    }
    int mask = shapes.length - 1;
    int i = mix(shape) & mask;
    while (answers[i] != null && shapes[i] != shape) {
      i = (i + 1) & mask;
    }
    if (answers[i] == null) {
      size++;
    }
    shapes[i] = shape;
    answers[i] = answer;
  }

  private static int mix(int x) {
    return (x * 0x9E3779B9) >>> 16 ^ x;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeStateKey k && k.hash == hash && k.specClass == specClass && k.cpuFree == cpuFree
        && k.memFree == memFree && Arrays.equals(k.devices, devices) && Arrays.equals(k.taskShapes, taskShapes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
