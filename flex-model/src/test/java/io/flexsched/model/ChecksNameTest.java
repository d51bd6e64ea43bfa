package io.flexsched.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written name check against the regular expression it replaced. */
class ChecksNameTest {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+-]*");
  /** Every kind of character the rule distinguishes, and neighbours of each range's ends. */
  private static final String ALPHABET = "aAzZ09mM._:/+-@[`{ \t\u00e9\u0660,;=*~!#$%^&()'\"\\|?<>0189yY";

  @Test
  void agreesWithTheRegularExpressionOnEveryShortString() {
    var random = new SplittableRandom(7);
    int names = 0;
    for (int i = 0; i < 200_000; i++) {
      var b = new StringBuilder();
      int length = random.nextInt(6);
      for (int j = 0; j < length; j++) {
        b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String s = b.toString();
      boolean expected = NAME.matcher(s).matches();
      assertThat(Checks.isName(s)).as("'%s'", s).isEqualTo(expected);
      names += expected ? 1 : 0;
    }
    // Both answers occur often, so agreement is not agreement on one answer.
    assertThat(names).isBetween(10_000, 190_000);
  }

  @Test
  void agreesOnEverySingleCharacter() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String s = String.valueOf(c);
      assertThat(Checks.isName(s)).as("U+%04X", (int) c).isEqualTo(NAME.matcher(s).matches());
      assertThat(Checks.isName("a" + s)).as("a + U+%04X", (int) c).isEqualTo(NAME.matcher("a" + s).matches());
    }
  }
}
