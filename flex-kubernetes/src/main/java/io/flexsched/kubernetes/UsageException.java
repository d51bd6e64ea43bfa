package io.flexsched.kubernetes;

/** Bad flags or an unusable file: the command prints the message alone and exits 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
