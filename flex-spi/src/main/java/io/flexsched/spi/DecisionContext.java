package io.flexsched.spi;

/**
 * What a policy may know about the decision in progress besides the task and the node: the
 * engine's seed and the decision's sequence number, and from them a reproducible random stream.
 *
 * <p>Randomness drawn here is a pure function of (seed, decision, node, salt): the same cluster,
 * tasks, policy and seed give the same decisions on every run and every machine, whatever order
 * nodes are visited in.
 */
public interface DecisionContext {
  /** The engine's seed. */
  long seed();

  /** The number of the decision in progress (0 for the first placement attempt). */
  long sequence();

  /** A uniformly distributed 64-bit value for this decision, node and salt. */
  default long random(int nodeOrdinal, int salt) {
    return mix(mix(seed() ^ mix(sequence() + 0x632BE59BD9B4E019L)) + ((long) nodeOrdinal << 20) + salt);
  }

  /** A fixed context: decision {@code sequence} of an engine seeded with {@code seed} (for tests and tools). */
  static DecisionContext of(long seed, long sequence) {
    return new FixedContext(seed, sequence);
  }

  /** SplitMix64's finaliser: a bijective, well-distributed 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

