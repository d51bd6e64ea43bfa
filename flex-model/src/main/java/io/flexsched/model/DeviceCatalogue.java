package io.flexsched.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A set of device models by name. {@link #builtIn()} holds the models of the Alibaba GPU trace,
 * NVIDIA's MIG-capable GPUs and Huawei's Ascend NPUs; a user's catalogue may add more.
 */
public final class DeviceCatalogue {
  /** Attribute naming how many NPUs form one HCCS ring on an Ascend 910 node. */
  public static final String RING_SIZE = "ringSize";

  private static final DeviceCatalogue BUILT_IN = new DeviceCatalogue(builtInModels());

  private final Map<String, DeviceModel> models;

  private DeviceCatalogue(Map<String, DeviceModel> models) {
    this.models = Map.copyOf(models);
  }

  /** The built-in catalogue. */
  public static DeviceCatalogue builtIn() {
    return BUILT_IN;
  }

  /** A catalogue of exactly these models. */
  public static DeviceCatalogue of(Collection<DeviceModel> models) {
    var byName = new LinkedHashMap<String, DeviceModel>();
    for (DeviceModel m : models) {
      if (byName.put(m.name(), m) != null) {
        throw new InvalidSpecException("model.name", m.name(), "must not repeat in a catalogue");
      }
    }
    return new DeviceCatalogue(byName);
  }

  /** This catalogue plus {@code model}, which replaces a model of the same name. */
  public DeviceCatalogue with(DeviceModel model) {
    var copy = new LinkedHashMap<>(models);
    copy.put(model.name(), model);
    return new DeviceCatalogue(copy);
  }

  /** The model with this name, if known. */
  public Optional<DeviceModel> find(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /**
   * The model with this name.
   *
   * @throws InvalidSpecException when the catalogue has no such model
   */
  public DeviceModel require(String name) {
    DeviceModel m = models.get(name);
    if (m == null) {
      throw new InvalidSpecException("model", "'" + name + "'", "must be a known model " + new java.util.TreeSet<>(models.keySet()));
    }
    return m;
  }

  /** Every model, by name. */
  public Map<String, DeviceModel> models() {
    return models;
  }

  private static Map<String, DeviceModel> builtInModels() {
    var m = new LinkedHashMap<String, DeviceModel>();
    // The Alibaba trace's models: fractional to 1 milli, no limit on sharers (the trace has none).
    // Memory per public specs; G2 and G3 are unnamed in the trace: 24 GiB and 32 GiB are guesses
    // (an 8-GPU, 96-core and an 8-GPU, 128-core inference server), not facts.
    for (var spec : List.of(
        new Object[] {"P100", 16_384L}, new Object[] {"T4", 16_384L},
        new Object[] {"V100M16", 16_384L}, new Object[] {"V100M32", 32_768L},
        new Object[] {"A10", 24_576L}, new Object[] {"G2", 24_576L}, new Object[] {"G3", 32_768L})) {
      String name = (String) spec[0];
      m.put(name, DeviceModel.fractional("nvidia", name, (Long) spec[1], 1, Integer.MAX_VALUE));
    }
    m.put("A100-40GB", mig("A100-40GB", 40_960, "1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"));
    m.put("A100-80GB", mig("A100-80GB", 81_920, "1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"));
    m.put("H100-80GB", mig("H100-80GB", 81_920, "1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"));
    m.put("H200", mig("H200", 144_384, "1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"));
    m.put("Ascend910", DeviceModel.whole("huawei", "Ascend910", 32_768).withAttribute(RING_SIZE, "4"));
    m.put("Ascend910B3", DeviceModel.partitioned("huawei", "Ascend910B3", 65_536, 0, 20, List.of(
        Profile.template("vir05_1c_16g", 5, 16_384),
        Profile.template("vir10_3c_32g", 10, 32_768))));
    return m;
  }

  /**
   * A MIG-capable GPU: 8 memory slots, 7 compute units, and six profiles with the geometry of
   * {@code nvidia-smi mig -lgipp}; profile memory is read from the profile's name.
   */
  private static DeviceModel mig(String name, long memoryMiB, String... names) {
    int[][] geometry = {
      {1, 1, 0, 1, 2, 3, 4, 5, 6},
      {2, 1, 0, 2, 4, 6},
      {2, 2, 0, 2, 4},
      {4, 3, 0, 4},
      {4, 4, 0},
      {8, 7, 0},
    };
    var profiles = new java.util.ArrayList<Profile>();
    for (int i = 0; i < names.length; i++) {
      int[] g = geometry[i];
      var starts = new java.util.ArrayList<Integer>();
      for (int s = 2; s < g.length; s++) {
        starts.add(g[s]);
      }
      long gb = Long.parseLong(names[i].substring(names[i].indexOf('.') + 1, names[i].length() - 2));
      profiles.add(new Profile(names[i], g[0], g[1], Math.min(gb * 1024, memoryMiB), starts));
    }
    return DeviceModel.partitioned("nvidia", name, memoryMiB, 8, 7, profiles);
  }
}
