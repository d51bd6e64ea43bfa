package io.flexsched.model;

import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a task asks of accelerators: how many devices, how much of each, of which models, and how
 * closely linked.
 *
 * @param count devices; 0 for a CPU-only task
 * @param milliPerDevice compute share per device, 1..1000 (1000 = the whole device)
 * @param memoryMiBPerDevice device memory per device; 0 when the request does not say
 * @param models allowed device models by name; empty = any model
 * @param profile a profile of a profile-partitioned model, or null
 * @param minLinkScore the lowest link score allowed between any two of its devices; 0 = any
 * @param weight 0 for a compute share or a whole device; at least 1 for a time slice of a
 *     {@link SharingMode#TIME_SLICED} model, whose quota (guaranteed share of the device's time) is
 *     {@code milliPerDevice} and whose weight divides the time no quota guarantees
 * @param remote whether devices of another node may serve it, and at what penalty; null = local
 *     devices only
 */
public record AcceleratorRequest(
    int count,
    int milliPerDevice,
    long memoryMiBPerDevice,
    Set<String> models,
    @Nullable String profile,
    int minLinkScore,
    int weight,
    @Nullable Remote remote) {

  /** The request of a CPU-only task. */
  public static final AcceleratorRequest NONE = new AcceleratorRequest(0, 0, 0, Set.of(), null, 0);

  /** A request served by local devices only, not a time slice (the form before either existed). */
  public AcceleratorRequest(int count, int milliPerDevice, long memoryMiBPerDevice, Set<String> models,
      @Nullable String profile, int minLinkScore) {
    this(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, 0, null);
  }

  /**
   * Consent to remote (pooled) devices, as Flex:ai's remote GPUs over RDMA/TCP: when no node can
   * take the whole task, its devices may come from another node of its host's pool (see the
   * scheduler builder's {@code remoteDevicePool}) while its CPU and memory stay on the host. Local
   * placement always wins when it exists.
   *
   * @param penalty what the task loses per topology step between its host and its device node, in
   *     the scoring policy's units: among remote pairs the engine takes the highest device score plus
   *     host score minus {@code penalty × (1 + steps)}, where steps counts the topology path entries
   *     the two nodes do not share (0 for two nodes of one rack). 0 lets the policy's scores alone
   *     decide; a large penalty takes the nearest pair whatever the scores.
   */
  public record Remote(int penalty) {
    public Remote {
      Checks.atLeast("remotePenalty", penalty, 0);
    }
  }

  public AcceleratorRequest {
    Checks.inRange("gpus", count, 0, 64);
    models = Set.copyOf(new TreeSet<>(Checks.copy("models", models)));
    for (String m : models) {
      Checks.name("models", m);
    }
    Checks.atLeast("gpuMemoryMiB", memoryMiBPerDevice, 0);
    Checks.atLeast("minLinkScore", minLinkScore, 0);
    if (count == 0) {
      if (milliPerDevice != 0) {
        throw new InvalidSpecException("gpuMilli", milliPerDevice, "must be 0 when gpus is 0");
      }
      if (memoryMiBPerDevice != 0) {
        throw new InvalidSpecException("gpuMemoryMiB", memoryMiBPerDevice, "must be 0 when gpus is 0");
      }
      if (profile != null) {
        throw new InvalidSpecException("profile", profile, "needs gpus of at least 1");
      }
      if (!models.isEmpty()) {
        throw new InvalidSpecException("models", models, "needs gpus of at least 1");
      }
    } else {
      Checks.inRange("gpuMilli", milliPerDevice, 1, DeviceModel.WHOLE_MILLI);
      if (profile != null) {
        Checks.name("profile", profile);
        if (milliPerDevice != DeviceModel.WHOLE_MILLI) {
          throw new InvalidSpecException("gpuMilli", milliPerDevice, "must be left at 1000 when a profile is given");
        }
        if (memoryMiBPerDevice != 0) {
          throw new InvalidSpecException("gpuMemoryMiB", memoryMiBPerDevice, "must be left out when a profile is given (the profile sets it)");
        }
      }
    }
    if (remote != null && count == 0) {
      throw new InvalidSpecException("remotePenalty", remote.penalty(), "needs gpus of at least 1 (a CPU-only task has no devices to take remotely)");
    }
    if (minLinkScore > 0 && count < 2) {
      throw new InvalidSpecException("minLinkScore", minLinkScore, "needs gpus of at least 2");
    }
    Checks.atLeast("weight", weight, 0);
    if (weight > 0 && count == 0) {
      throw new InvalidSpecException("weight", weight, "needs gpus of at least 1");
    }
    if (weight > 0 && profile != null) {
      throw new InvalidSpecException("weight", weight, "must be left out when a profile is given");
    }
  }

  /** {@code count} whole devices of any model. */
  public static AcceleratorRequest whole(int count) {
    return new AcceleratorRequest(count, DeviceModel.WHOLE_MILLI, 0, Set.of(), null, 0);
  }

  /** A share of {@code milli} of each of {@code count} devices, with a memory quota per device. */
  public static AcceleratorRequest share(int count, int milli, long memoryMiB) {
    return new AcceleratorRequest(count, milli, memoryMiB, Set.of(), null, 0);
  }

  /**
   * A time slice of each of {@code count} devices of a {@link SharingMode#TIME_SLICED} model: a
   * guaranteed {@code quotaMilli} of each device's time (1000 = all of it, which is the device
   * whole), a {@code weight} by which unguaranteed or idle time is divided, and a memory quota.
   */
  public static AcceleratorRequest timeSlice(int count, int quotaMilli, int weight, long memoryMiB) {
    Checks.inRange("gpus", count, 1, 64);
    Checks.inRange("quotaMilli", quotaMilli, 1, DeviceModel.WHOLE_MILLI);
    Checks.atLeast("weight", weight, 1);
    return new AcceleratorRequest(count, quotaMilli, memoryMiB, Set.of(), null, 0, weight, null);
  }

  /** One device partition of the named profile. */
  public static AcceleratorRequest profile(String profileName) {
    return new AcceleratorRequest(1, DeviceModel.WHOLE_MILLI, 0, Set.of(), profileName, 0);
  }

  /** This request restricted to the named models. */
  public AcceleratorRequest onModels(Set<String> allowed) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, allowed, profile, minLinkScore, weight, remote);
  }

  /** This request with a minimum link score between its devices. */
  public AcceleratorRequest withMinLinkScore(int score) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, score, weight, remote);
  }

  /** This request, served by another node's devices when no node can take its task whole, at {@code penalty}. */
  public AcceleratorRequest remoteOk(int penalty) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, weight,
        new Remote(penalty));
  }

  /** This request without its consent to remote devices. */
  public AcceleratorRequest localOnly() {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, weight, null);
  }

  /** True for a request of at least one device. */
  public boolean wantsDevices() {
    return count > 0;
  }

  /** True for a time slice: a quota and a weight on a {@link SharingMode#TIME_SLICED} model. */
  public boolean isTimeSlice() {
    return weight > 0;
  }

  /**
   * As a record prints itself, but the weight only for a time slice and the remote consent only
   * when given: every other request reads as it did before either existed (logs and examples
   * compare it).
   */
  @Override
  public String toString() {
    return "AcceleratorRequest[count=" + count + ", milliPerDevice=" + milliPerDevice + ", memoryMiBPerDevice="
        + memoryMiBPerDevice + ", models=" + models + ", profile=" + profile + ", minLinkScore=" + minLinkScore
        + (weight == 0 ? "" : ", weight=" + weight) + (remote == null ? "" : ", remote=" + remote) + "]";
  }

  /** True when the request takes whole devices (no profile, 1000 milli each). */
  public boolean isWhole() {
    return count > 0 && profile == null && milliPerDevice == DeviceModel.WHOLE_MILLI;
  }

  /** True when {@code model} may serve this request (by name; empty = any). */
  public boolean allows(DeviceModel model) {
    return models.isEmpty() || models.contains(model.name());
  }

  /**
   * True when a free device of {@code model} could host one device's worth of this request: an
   * allowed model that has the request's profile, or for a whole device enough memory, or for a
   * share fractional or time-sliced sharing in a multiple of its granularity, or for a time slice
   * time-sliced sharing in a multiple of its granularity and enough memory. The one rule the
   * engine's filter, preemption and every built-in policy share.
   */
  public boolean couldBeServedBy(DeviceModel model) {
    if (!allows(model)) {
      return false;
    }
    if (profile != null) {
      return model.sharing() == SharingMode.PROFILES && model.profile(profile).isPresent();
    }
    if (weight > 0) {
      return model.sharing() == SharingMode.TIME_SLICED && milliPerDevice % model.granularityMilli() == 0
          && memoryMiBPerDevice <= model.memoryMiB();
    }
    return milliPerDevice == DeviceModel.WHOLE_MILLI
        ? memoryMiBPerDevice <= model.memoryMiB()
        : model.sharesCompute() && milliPerDevice % model.granularityMilli() == 0;
  }

  /** Total compute requested, in milli (a profile counts by its share of the device). */
  public long totalMilli() {
    return (long) count * milliPerDevice;
  }

  /**
   * Checks the cross-field rules between this request and a model it may land on: a profile
   * only on a profile-partitioned model that has it; a fractional share only on a fractional
   * or time-sliced model, in its granularity; a time slice only on a time-sliced model.
   *
   * @throws InvalidSpecException naming the field when the request can never be served by it
   */
  public void checkAgainst(DeviceModel model) {
    if (profile != null) {
      if (model.sharing() != SharingMode.PROFILES) {
        throw new InvalidSpecException(
            "profile", profile, "needs a profile-partitioned model, but " + model.name() + " is " + model.sharing().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (model.profile(profile).isEmpty()) {
        throw new InvalidSpecException("profile", profile, "is not a profile of " + model.name());
      }
      return;
    }
    if (weight > 0 && model.sharing() != SharingMode.TIME_SLICED) {
      throw new InvalidSpecException(
          "weight", weight, "needs a time-sliced model, but " + model.name() + " is " + model.sharing().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (count > 0 && milliPerDevice < DeviceModel.WHOLE_MILLI && !model.sharesCompute()) {
      throw new InvalidSpecException(
          "gpuMilli", milliPerDevice, "needs a fractional model, but " + model.name() + " is " + model.sharing().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (milliPerDevice < DeviceModel.WHOLE_MILLI && model.sharesCompute()
        && milliPerDevice % model.granularityMilli() != 0) {
      throw new InvalidSpecException(
          weight > 0 ? "quotaMilli" : "gpuMilli", milliPerDevice, "must be a multiple of " + model.name() + "'s granularity " + model.granularityMilli());
    }
    if (memoryMiBPerDevice > model.memoryMiB()) {
      throw new InvalidSpecException(
          "gpuMemoryMiB", memoryMiBPerDevice, "must be at most " + model.name() + "'s " + model.memoryMiB());
    }
  }
}
