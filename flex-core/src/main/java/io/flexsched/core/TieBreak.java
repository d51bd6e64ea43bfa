package io.flexsched.core;

/**
 * How the engine chooses among nodes with equal top scores. Both rules are pure functions of
 * the engine's seed (and, for {@link #PER_DECISION}, the decision's number), so decisions are
 * reproducible and independent of the order nodes are visited in.
 */
public enum TieBreak {
  /**
   * The node earliest in a random permutation of the cluster drawn once from the seed. Ties keep
   * landing on the same nodes, which packs work that a policy cannot tell apart (CPU-only tasks
   * under GPU-only scores, say) instead of spreading it. This is what the FGD paper's simulator
   * does in effect (its nodes are named with a random prefix and the first best node wins), and
   * its published numbers depend on it.
   */
  NODE_ORDER,
  /** A fresh uniform draw among the tied nodes at every decision: spreads tied work evenly. */
  PER_DECISION
}
