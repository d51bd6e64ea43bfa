package io.flexsched.property;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging of a failing operation sequence: drops chunks, then single operations, for as
 * long as what is left still fails the same invariant, so that a failure of a thousand random
 * steps becomes the handful that cause it.
 */
public final class Shrinker {
  private Shrinker() {}

  /**
   * A shrunk failure.
   *
   * @param operations the smallest failing sequence found
   * @param violation its violation
   * @param replays how many candidate sequences were run
   */
  public record Result(List<Operation> operations, Violation violation, int replays) {}

  /**
   * Shrinks {@code operations}, which fail with {@code original} under {@code config}, to a
   * sequence that still fails the same invariant, trying at most {@code maxReplays} candidates.
   */
  public static Result shrink(ModelRun.Config config, List<Operation> operations, Violation original, int maxReplays) {
    // Operations after the failing step cannot matter.
    List<Operation> start = new ArrayList<>(operations.subList(0, Math.min(operations.size(), original.step() + 1)));
    Violation[] last = {original};
    int[] replays = {0};
    List<Operation> shrunk = minimise(start, candidate -> {
      replays[0]++;
      Violation v = new ModelRun(config).runAll(candidate);
      if (v != null && v.sameKindAs(original)) {
        last[0] = v;
        return true;
      }
      return false;
    }, maxReplays);
    // The predicate's last success belongs to the last accepted candidate only if no later
    // candidate failed; replay once so the reported violation is the shrunk sequence's own.
    Violation v = new ModelRun(config).runAll(shrunk);
    return new Result(List.copyOf(shrunk), v != null ? v : last[0], replays[0] + 1);
  }

  /**
   * The ddmin loop: splits {@code items} into n chunks and keeps the first complement that still
   * fails; when none does, splits finer, down to single items.
   *
   * @param fails true when a candidate still shows the failure ({@code items} itself must)
   */
  public static <T> List<T> minimise(List<T> items, Predicate<List<T>> fails, int maxTries) {
    List<T> current = new ArrayList<>(items);
    int n = 2;
    int tries = 0;
    while (current.size() >= 2 && tries < maxTries) {
      int chunk = (current.size() + n - 1) / n;
      boolean reduced = false;
      for (int from = 0; from < current.size() && tries < maxTries; from += chunk) {
        List<T> candidate = new ArrayList<>(current.subList(0, from));
        candidate.addAll(current.subList(Math.min(current.size(), from + chunk), current.size()));
        tries++;
        if (fails.test(candidate)) {
          current = candidate;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (chunk == 1) {
          break;
        }
        n = Math.min(current.size(), n * 2);
      }
    }
    if (current.size() == 1 && tries < maxTries && fails.test(List.of())) {
      return List.of();
    }
    return current;
  }
}
