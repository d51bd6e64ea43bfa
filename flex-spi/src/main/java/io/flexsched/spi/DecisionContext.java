package io.flexsched.spi;

/**
 * What a policy may know about the decision in progress besides the task and the node: the
 * engine's seed and the decision's sequence number, and from them a reproducible random stream.
 *
 * <p>Randomness drawn here is a pure function of (seed, decision, node, salt): the same cluster,
 * tasks, policy and seed give the same decisions on every run and every machine, whatever order
 * nodes are visited in.
 */
public final class DecisionContext {
  private final long seed;
  private long sequence;

  /** A context for an engine seeded with {@code seed}, before its first decision. */
  public DecisionContext(long seed) {
    this.seed = seed;
  }

  /** The engine's seed. */
  public long seed() {
    return seed;
  }

  /** The number of the decision in progress (0 for the first placement attempt). */
  public long sequence() {
    return sequence;
  }

  /** Moves to decision number {@code value}; called by the engine. */
  public void moveTo(long value) {
    this.sequence = value;
  }

  /** A uniformly distributed 64-bit value for this decision, node and salt. */
  public long random(int nodeOrdinal, int salt) {
    return mix(mix(seed ^ mix(sequence + 0x632BE59BD9B4E019L)) + ((long) nodeOrdinal << 20) + salt);
  }

  /** SplitMix64's finaliser: a bijective, well-distributed 64-bit mix. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
