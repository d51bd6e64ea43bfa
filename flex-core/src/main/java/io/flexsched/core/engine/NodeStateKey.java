package io.flexsched.core.engine;

import io.flexsched.model.SharingMode;
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
  // The policy's answers in this state, by task shape: a small open-addressing table of answers,
  // which name their shapes.
  private ScoreIndex.Answer[] answers;
  private int size;

  /**
   * The key of node {@code n}'s state in {@code s}: per device its free milli and tenants, and
   * its free memory; then its free compute units and slots if its model has profiles, or its time
   * slices' weights if it is time-sliced; then the CPU pinned per NUMA node. A counter left out
   * never moves on that model (other models have no units, slots or weights to take), and nodes
   * of one spec class have the same models in the same order, so equal keys still mean equal
   * states while most devices take two words instead of four.
   */
  static NodeStateKey of(ClusterState s, int n) {
    int count = s.devCount[n];
    int base = s.devStart[n];
    long[] pins = s.numa.pinned[n];
    int words = pins.length;
    for (int i = 0; i < count; i++) {
      words += 2 + extraWords(s.model[base + i].sharing());
    }
    long[] devices = new long[words];
    int w = 0;
    for (int i = 0; i < count; i++) {
      int g = base + i;
      devices[w++] = ((long) s.milliFree[g] << 32) | (s.tenants[g] & 0xFFFFFFFFL);
      devices[w++] = s.dmemFree[g];
      SharingMode sharing = s.model[g].sharing();
      if (sharing == SharingMode.PROFILES) {
        devices[w++] = s.unitsFree[g];
        devices[w++] = s.slotsFree[g];
      } else if (sharing == SharingMode.TIME_SLICED) {
        devices[w++] = s.timeSlices.weights(g);
      }
    }
    System.arraycopy(pins, 0, devices, w, pins.length);
    return new NodeStateKey(s.specClass(n), s.cpuFree[n], s.memFree[n], devices, s.shapesOn.sorted(n));
  }

  private static int extraWords(SharingMode sharing) {
    return sharing == SharingMode.PROFILES ? 2 : sharing == SharingMode.TIME_SLICED ? 1 : 0;
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
    if (answers == null) {
      return null;
    }
    int mask = answers.length - 1;
    for (int i = mix(shape) & mask; ; i = (i + 1) & mask) {
      ScoreIndex.Answer a = answers[i];
      if (a == null || a.shape() == shape) {
        return a;
      }
    }
  }

  /** Remembers {@code answer}, for its shape, in this state. */
  void remember(ScoreIndex.Answer answer) {
    if (answers == null || 2 * (size + 1) > answers.length) {
      ScoreIndex.Answer[] old = answers;
      answers = new ScoreIndex.Answer[old == null ? 8 : old.length * 2];
      size = 0;
      if (old != null) {
        for (ScoreIndex.Answer a : old) {
          if (a != null) {
            remember(a);
          }
        }
      }
    }
    int mask = answers.length - 1;
    int i = mix(answer.shape()) & mask;
    while (answers[i] != null && answers[i].shape() != answer.shape()) {
      i = (i + 1) & mask;
    }
    if (answers[i] == null) {
      size++;
    }
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
