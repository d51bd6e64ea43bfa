package io.flexsched.kubernetes;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps the product names GPU Feature Discovery writes into {@code nvidia.com/gpu.product}
 * ({@code Tesla-T4}, {@code NVIDIA-A100-SXM4-40GB}) to the catalogue's models. A product it does
 * not know becomes a fractional model of that name, sized by {@code nvidia.com/gpu.memory}.
 */
final class GpuProducts {
  /** Longest patterns first, so {@code A100-80GB} wins over {@code A100}. */
  private static final Map<String, String> BUILT_IN = builtIn();

  private final DeviceCatalogue catalogue;
  private final Map<String, String> mappings;

  /**
   * @param catalogue the models products map to
   * @param mappings extra exact product-name to model-name mappings (from {@code --config}), which win
   */
  GpuProducts(DeviceCatalogue catalogue, Map<String, String> mappings) {
    this.catalogue = catalogue;
    this.mappings = Map.copyOf(mappings);
    for (var e : mappings.entrySet()) {
      catalogue.require(e.getValue());
    }
  }

  private static Map<String, String> builtIn() {
    var m = new LinkedHashMap<String, String>();
    m.put("A100-SXM4-80GB", "A100-80GB");
    m.put("A100-80GB", "A100-80GB");
    m.put("A100", "A100-40GB");
    m.put("H100", "H100-80GB");
    m.put("H200", "H200");
    m.put("V100-SXM2-32GB", "V100M32");
    m.put("V100-PCIE-32GB", "V100M32");
    m.put("V100", "V100M16");
    m.put("P100", "P100");
    m.put("T4", "T4");
    m.put("A10", "A10");
    return m;
  }

  /**
   * The model of a node's GPUs.
   *
   * @param product the {@code nvidia.com/gpu.product} label, or null
   * @param memoryMiB the {@code nvidia.com/gpu.memory} label (MiB), or null
   * @throws InvalidSpecException when neither names a model Flex can size
   */
  DeviceModel model(String node, @Nullable String product, @Nullable String memoryMiB) {
    if (product != null) {
      String exact = mappings.get(product);
      if (exact != null) {
        return catalogue.require(exact);
      }
      Optional<DeviceModel> known = builtInMatch(product);
      if (known.isPresent()) {
        return known.get();
      }
    }
    if (memoryMiB == null) {
      throw new InvalidSpecException("node " + node + " label nvidia.com/gpu.memory", "absent",
          "is required for GPU product " + (product == null ? "(no nvidia.com/gpu.product label)" : "'" + product + "'")
              + ", which is not in the catalogue");
    }
    long mib;
    try {
      mib = Long.parseLong(memoryMiB.trim());
    } catch (NumberFormatException e) {
      throw new InvalidSpecException("node " + node + " label nvidia.com/gpu.memory", "'" + memoryMiB + "'",
          "must be a whole number of MiB");
    }
    if (mib <= 0) {
      throw new InvalidSpecException("node " + node + " label nvidia.com/gpu.memory", memoryMiB, "must be positive");
    }
    String name = product == null ? "nvidia-gpu-" + mib + "MiB" : product;
    return DeviceModel.fractional("nvidia", name, mib, 1, Integer.MAX_VALUE);
  }

  private Optional<DeviceModel> builtInMatch(String product) {
    String p = product.toUpperCase(Locale.ROOT);
    for (var e : BUILT_IN.entrySet()) {
      if (containsToken(p, e.getKey())) {
        return catalogue.find(e.getValue());
      }
    }
    return catalogue.find(product);
  }

  /** True when {@code pattern} occurs in {@code s} delimited by '-' or the ends (A10 is not A100's prefix). */
  private static boolean containsToken(String s, String pattern) {
    int from = 0;
    while (true) {
      int at = s.indexOf(pattern, from);
      if (at < 0) {
        return false;
      }
      int end = at + pattern.length();
      boolean left = at == 0 || s.charAt(at - 1) == '-';
      boolean right = end == s.length() || s.charAt(end) == '-';
      if (left && right) {
        return true;
      }
      from = at + 1;
    }
  }
}
