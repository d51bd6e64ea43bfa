package io.flexsched.core.engine;

import io.flexsched.spi.DeviceChoice;

/**
 * Selection for a policy whose answers cannot be cached (they read node names, decision numbers
 * or random draws): every node the task may use is filtered and scored afresh; the highest score
 * wins, ties broken by the seeded rule.
 */
final class ScanSelection {
  private final ClusterState state;
  private final Scorer scorer;
  private final DeviceChoice choice = new DeviceChoice();

  ScanSelection(Scorer scorer) {
    this.state = scorer.state;
    this.scorer = scorer;
  }

  /** The best node for the attempt, its device choice in {@code best}; -1 when it fits nowhere. */
  int best(Attempt a, DeviceChoice best) {
    int bestNode = -1;
    double bestScore = 0;
    long bestTie = 0;
    boolean bestTieKnown = false;
    int nodes = state.nodeSlots();
    for (int n = 0; n < nodes; n++) {
      if (!state.isLive(n) || !a.mayUse(n) || scorer.filter.reject(n, a) != null) {
        continue;
      }
      double score = scorer.score(n, a, choice);
      boolean better;
      if (bestNode < 0 || score > bestScore) {
        better = true;
        bestTieKnown = false;
      } else if (score == bestScore) {
        if (!bestTieKnown) {
          bestTie = scorer.rank(bestNode);
          bestTieKnown = true;
        }
        long tie = scorer.rank(n);
        better = tie < bestTie;
        if (better) {
          bestTie = tie;
        }
      } else {
        better = false;
      }
      if (better) {
        bestNode = n;
        bestScore = score;
        best.copyFrom(choice);
      }
    }
    return bestNode;
  }
}
