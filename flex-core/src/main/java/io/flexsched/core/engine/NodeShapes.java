package io.flexsched.core.engine;

import java.util.Arrays;

/**
 * Per node, the shape ids of the tasks on it as a sorted multiset: part of every node state key,
 * kept as tasks come and go so that a key is a copy, not a lookup per task on the node.
 */
final class NodeShapes {
  private static final int[] NONE = new int[0];

  private int[][] bags = new int[16][];
  private int[] sizes = new int[16];

  /** Makes room for node ordinals below {@code capacity}. */
  void grow(int capacity) {
    if (capacity > bags.length) {
      bags = Arrays.copyOf(bags, capacity);
      sizes = Arrays.copyOf(sizes, capacity);
    }
  }

  void add(int node, int shape) {
    int[] bag = bags[node] == null ? NONE : bags[node];
    int size = sizes[node];
    if (size == bag.length) {
      bag = Arrays.copyOf(bag, Math.max(4, size * 2));
      bags[node] = bag;
    }
    int at = size;
    while (at > 0 && bag[at - 1] > shape) {
      bag[at] = bag[at - 1];
      at--;
    }
    bag[at] = shape;
    sizes[node] = size + 1;
  }

  /** Takes one {@code shape} off {@code node}; it must be there. */
  void remove(int node, int shape) {
    int[] bag = bags[node];
    int size = sizes[node];
    int at = bag == null ? -1 : Arrays.binarySearch(bag, 0, size, shape);
    if (at < 0) {
      throw new IllegalStateException("shape " + shape + " is not on node " + node);
    }
    System.arraycopy(bag, at + 1, bag, at, size - at - 1);
    sizes[node] = size - 1;
  }

  /** The shapes on {@code node}, sorted, as a new array. */
  int[] sorted(int node) {
    return sizes[node] == 0 ? NONE : Arrays.copyOf(bags[node], sizes[node]);
  }
}
