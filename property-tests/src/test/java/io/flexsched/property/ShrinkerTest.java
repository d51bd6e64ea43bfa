package io.flexsched.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShrinkerTest {
  private static List<Integer> upTo(int n) {
    var out = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void findsTheTwoItemsThatTogetherFail() {
    List<Integer> shrunk = Shrinker.minimise(upTo(1_000), l -> l.contains(17) && l.contains(423), 10_000);
    assertThat(shrunk).containsExactly(17, 423);
  }

  @Test
  void keepsTheOrderThatMatters() {
    // Fails when a 7 comes before some 3 (a release after its placement, say).
    List<Integer> items = new ArrayList<>(upTo(200));
    items.add(3);
    List<Integer> shrunk = Shrinker.minimise(items, l -> l.indexOf(7) >= 0 && l.lastIndexOf(3) > l.indexOf(7), 10_000);
    assertThat(shrunk).containsExactly(7, 3);
  }

  @Test
  void stopsAtTheReplayBudget() {
    var tries = new AtomicInteger();
    List<Integer> shrunk = Shrinker.minimise(upTo(1_000), l -> {
      tries.incrementAndGet();
      return l.contains(500);
    }, 5);
    assertThat(tries.get()).isEqualTo(5);
    assertThat(shrunk).contains(500).hasSizeLessThan(1_000);
  }

  @Test
  void aFailureThatNeedsNothingShrinksToNothing() {
    assertThat(Shrinker.minimise(upTo(10), l -> true, 100)).isEmpty();
  }
}
