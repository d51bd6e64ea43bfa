package io.flexsched.core.engine;

import io.flexsched.core.TieBreak;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.ScoringPolicy;

/**
 * The policy asked about one node (kube-scheduler's score extension point): its score and its
 * device choice, both checked before either selection keeps them, and the seeded rank that breaks
 * ties between equal scores.
 */
final class Scorer {
  final ClusterState state;
  final Filter filter;
  final ScoringPolicy policy;
  final SeededContext context;
  final TieBreak tieBreak;
  private final NodeCursor cursor;
  private final DeviceReservation reservation;

  Scorer(ClusterState state, Filter filter, ScoringPolicy policy, SeededContext context, TieBreak tieBreak,
      DeviceReservation reservation) {
    this.state = state;
    this.filter = filter;
    this.policy = policy;
    this.context = context;
    this.tieBreak = tieBreak;
    this.cursor = new NodeCursor(state);
    this.reservation = reservation;
  }

  /**
   * The policy's finite score of the attempt's task on node {@code n}, which passed the filter;
   * its device choice, checked to fit, in {@code choice}.
   *
   * @throws io.flexsched.core.PolicyException when the policy fails or answers what cannot be used
   */
  double score(int n, Attempt a, DeviceChoice choice) {
    choice.clear();
    double score = Guard.score(policy, a.task, cursor.at(n), choice, context);
    reservation.validate(n, a, choice);
    return score;
  }

  /** The rank of node {@code n} among equal top scores in the decision in progress: lowest wins. */
  long rank(int n) {
    return context.rank(tieBreak, n);
  }
}
