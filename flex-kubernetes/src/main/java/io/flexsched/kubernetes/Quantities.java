package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.flexsched.model.InvalidSpecException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Kubernetes quantities ({@code 500m}, {@code 16Gi}, {@code 2}) in the units Flex counts in. */
final class Quantities {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);

  private Quantities() {}

  /** The value in thousandths (CPU milli-cores), rounded up as the kubelet does. */
  static long milli(String field, Quantity q) {
    return amount(field, q).multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Bytes in MiB, rounded up for a request (a pod asking 1 byte more than a MiB needs two). */
  static long mebibytesUp(String field, Quantity q) {
    return amount(field, q).divide(MIB, 0, RoundingMode.CEILING).longValueExact();
  }

  /** Bytes in MiB, rounded down for a capacity (never claim more than the node has). */
  static long mebibytesDown(String field, Quantity q) {
    return amount(field, q).divide(MIB, 0, RoundingMode.FLOOR).longValueExact();
  }

  /** A count (GPUs, percentages, MiB given as plain numbers): a non-negative integer. */
  static long count(String field, Quantity q) {
    BigDecimal v = amount(field, q);
    if (v.stripTrailingZeros().scale() > 0) {
      throw new InvalidSpecException(field, q.toString(), "must be a whole number");
    }
    return v.longValueExact();
  }

  /** The count named {@code key} in {@code resources}, or -1 when absent. */
  static long countOr(Map<String, Quantity> resources, String key) {
    Quantity q = resources.get(key);
    return q == null ? -1 : count(key, q);
  }

  static BigDecimal amount(String field, @Nullable Quantity q) {
    if (q == null) {
      return BigDecimal.ZERO;
    }
    BigDecimal v;
    try {
      v = q.getNumericalAmount();
    } catch (RuntimeException e) {
      throw new InvalidSpecException(field, q.toString(), "must be a Kubernetes quantity");
    }
    if (v.signum() < 0) {
      throw new InvalidSpecException(field, q.toString(), "must not be negative");
    }
    if (v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1000)) > 0) {
      throw new InvalidSpecException(field, q.toString(), "is too large");
    }
    return v;
  }
}
