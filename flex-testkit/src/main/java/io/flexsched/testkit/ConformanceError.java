package io.flexsched.testkit;

import java.util.List;

/** An SPI implementation broke the contract: the message lists each violation. */
public final class ConformanceError extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final List<String> violations;

  ConformanceError(String subject, List<String> violations) {
    super(subject + " breaks " + violations.size() + " rule(s) of the SPI contract:\n  - "
        + String.join("\n  - ", violations));
    this.violations = List.copyOf(violations);
  }

  /** Each violation, in the order found. */
  public List<String> violations() {
    return violations;
  }
}
