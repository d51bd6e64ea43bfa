package io.flexsched.core.engine;

import io.flexsched.model.Assignment;
import io.flexsched.spi.DeviceChoice;

/**
 * Selection for a task with NUMA affinity, scanned afresh (never from the score index, whose
 * answers are for the whole node): on a node with NUMA nodes, each NUMA node that can hold the
 * task is scored through a {@link NumaView} of it and the best one, lowest id on a tie, stands for
 * the node; a node without NUMA nodes is scored whole, as for any task. The best node wins as in
 * {@link ScanSelection}.
 */
final class NumaSelection {
  private final ClusterState state;
  private final Scorer scorer;
  private final DeviceReservation reservation;
  private final DeviceChoice choice = new DeviceChoice();
  private final DeviceChoice numaChoice = new DeviceChoice();
  private double numaScore;
  private int chosenNuma = Assignment.NO_NUMA;

  NumaSelection(Scorer scorer, DeviceReservation reservation) {
    this.state = scorer.state;
    this.scorer = scorer;
    this.reservation = reservation;
  }

  /**
   * The best node where the attempt's task gets NUMA affinity (or one without NUMA nodes), its
   * device choice in {@code best}; -1 when there is none.
   */
  int best(Attempt a, DeviceChoice best) {
    int bestNode = -1;
    int bestNuma = Assignment.NO_NUMA;
    double bestScore = 0;
    long bestTie = 0;
    int nodes = state.nodeSlots();
    for (int n = 0; n < nodes; n++) {
      if (!state.isLive(n) || !a.mayUse(n) || scorer.filter.reject(n, a) != null) {
        continue;
      }
      double score;
      int k = Assignment.NO_NUMA;
      if (state.numa.count(n) == 0) {
        score = scorer.score(n, a, choice);
      } else {
        k = bestNuma(n, a, choice);
        if (k < 0) {
          continue;
        }
        score = numaScore;
      }
      boolean better = bestNode < 0 || score > bestScore;
      if (!better && score == bestScore) {
        long tie = scorer.rank(n);
        better = tie < bestTie;
      }
      if (better) {
        bestNode = n;
        bestNuma = k;
        bestScore = score;
        bestTie = scorer.rank(n);
        best.copyFrom(choice);
      }
    }
    chosenNuma = bestNode < 0 ? Assignment.NO_NUMA : bestNuma;
    return bestNode;
  }

  /**
   * The best NUMA node of node {@code n} for the attempt, its choice in {@code out} and its score in
   * {@link #numaScore}; -1 when none fits.
   */
  private int bestNuma(int n, Attempt a, DeviceChoice out) {
    int bestK = -1;
    for (int k = 0; k < state.numa.count(n); k++) {
      if (!scorer.filter.numa.fits(n, k, a)) {
        continue;
      }
      numaChoice.clear();
      double score = Guard.score(scorer.policy, a.task, scorer.filter.numa.view(n, k), numaChoice, scorer.context);
      validate(n, k, a, numaChoice);
      if (bestK < 0 || score > numaScore) {
        bestK = k;
        numaScore = score;
        out.copyFrom(numaChoice);
      }
    }
    return bestK;
  }

  /** Checks a choice on NUMA node {@code k} of node {@code n}: it fits the node, and each device is of that NUMA node. */
  private void validate(int n, int k, Attempt a, DeviceChoice chosen) {
    reservation.validate(n, a, chosen);
    for (int i = 0; i < chosen.size(); i++) {
      if (state.numa.of(n, chosen.device(i)) != k) {
        throw DeviceReservation.badChoice(scorer.policy, state.spec(n).name(), a.task, chosen,
            "device " + chosen.device(i) + " is not on NUMA node " + k);
      }
    }
  }

  /** The placement of the last {@link #best} answer: node {@code n}, its devices {@code chosen}, its NUMA node. */
  Placement check(int n, Attempt a, DeviceChoice chosen) {
    return reservation.check(n, a, chosen, chosenNuma);
  }
}
