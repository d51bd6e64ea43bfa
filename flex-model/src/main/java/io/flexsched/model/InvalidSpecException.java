package io.flexsched.model;

/**
 * A value was rejected by a specification's validation rules. The message names the field and
 * the rejected value, e.g. {@code gpuMilli must be in 1..1000, was 1200}.
 */
public class InvalidSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  /**
   * @param field the name of the offending field, as a user writes it
   * @param value the rejected value, rendered as text
   * @param requirement what the field must satisfy, e.g. {@code "must be in 1..1000"}
   */
  public InvalidSpecException(String field, Object value, String requirement) {
    super(field + " " + requirement + ", was " + value);
    this.field = field;
    this.value = String.valueOf(value);
  }

  /** The field that was rejected. */
  public String field() {
    return field;
  }

  /** The rejected value as text. */
  public String value() {
    return value;
  }
}
