package io.flexsched.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a specification is rejected with exactly the expected field, value and message. */
final class Rejections {
  /** The requirement {@code Checks.name} states, spelled out here independently of the code. */
  static final String NAME_RULE = "must be a non-empty name of letters, digits and ._:/+-";

  private Rejections() {}

  /**
   * Asserts that {@code call} throws an {@link InvalidSpecException} (not a subclass, not another
   * exception) naming {@code field} and {@code value}, with exactly {@code message}.
   */
  static void assertRejected(ThrowingCallable call, String field, String value, String message) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isExactlyInstanceOf(InvalidSpecException.class).hasMessage(message);
    var e = (InvalidSpecException) thrown;
    assertThat(e.field()).as("field").isEqualTo(field);
    assertThat(e.value()).as("value").isEqualTo(value);
  }
}
