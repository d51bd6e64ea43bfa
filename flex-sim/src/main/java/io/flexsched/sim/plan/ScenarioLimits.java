package io.flexsched.sim.plan;

import io.flexsched.model.InvalidSpecException;

/**
 * How large one part of a scenario file may be. A part is a top-level setting or section, one
 * node of {@code nodes:}, or one event (in JSON Lines, one line). The limits guard the reader
 * against hostile input (a line of a million brackets, an alias bomb, a runaway value); they hold
 * per part, so a file of any number of events is read.
 *
 * @param maxPartChars the most characters of one part ({@code --max-part-chars})
 * @param maxNestingDepth the deepest nesting of lists and mappings, counted from the top of the
 *     file ({@code --max-nesting-depth})
 * @param maxAliases the most aliases of lists or mappings in one part ({@code --max-aliases})
 */
public record ScenarioLimits(int maxPartChars, int maxNestingDepth, int maxAliases) {
  /** SnakeYAML's own defaults, which once held for a whole file and now hold per part. */
  public static final ScenarioLimits DEFAULT = new ScenarioLimits(3 * 1024 * 1024, 50, 50);
  /** Deeper nesting than this would overflow the reader's stack, whatever the flag says. */
  public static final int MAX_NESTING_DEPTH = 1_000;
  /** More aliases than this in one part would let a small file stand for an exponential tree. */
  public static final int MAX_ALIASES = 10_000;

  public ScenarioLimits {
    if (maxPartChars < 1) {
      throw new InvalidSpecException("--max-part-chars", maxPartChars, "must be at least 1");
    }
    if (maxNestingDepth < 1 || maxNestingDepth > MAX_NESTING_DEPTH) {
      throw new InvalidSpecException("--max-nesting-depth", maxNestingDepth, "must be in 1.." + MAX_NESTING_DEPTH);
    }
    if (maxAliases < 0 || maxAliases > MAX_ALIASES) {
      throw new InvalidSpecException("--max-aliases", maxAliases, "must be in 0.." + MAX_ALIASES);
    }
  }
}
