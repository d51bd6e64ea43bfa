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
    @Nullable Remote remote) {

  /** The request of a CPU-only task. */
  public static final AcceleratorRequest NONE = new AcceleratorRequest(0, 0, 0, Set.of(), null, 0);

  /** A request served by local devices only (the form before remote devices existed). */
  public AcceleratorRequest(int count, int milliPerDevice, long memoryMiBPerDevice, Set<String> models,
      @Nullable String profile, int minLinkScore) {
    this(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, null);
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
  }

  /** {@code count} whole devices of any model. */
  public static AcceleratorRequest whole(int count) {
    return new AcceleratorRequest(count, DeviceModel.WHOLE_MILLI, 0, Set.of(), null, 0);
  }

  /** A share of {@code milli} of each of {@code count} devices, with a memory quota per device. */
  public static AcceleratorRequest share(int count, int milli, long memoryMiB) {
    return new AcceleratorRequest(count, milli, memoryMiB, Set.of(), null, 0);
  }

  /** One device partition of the named profile. */
  public static AcceleratorRequest profile(String profileName) {
    return new AcceleratorRequest(1, DeviceModel.WHOLE_MILLI, 0, Set.of(), profileName, 0);
  }

  /** This request restricted to the named models. */
  public AcceleratorRequest onModels(Set<String> allowed) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, allowed, profile, minLinkScore, remote);
  }

  /** This request with a minimum link score between its devices. */
  public AcceleratorRequest withMinLinkScore(int score) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, score, remote);
  }

  /** This request, served by another node's devices when no node can take its task whole, at {@code penalty}. */
  public AcceleratorRequest remoteOk(int penalty) {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, new Remote(penalty));
  }

  /** This request without its consent to remote devices. */
  public AcceleratorRequest localOnly() {
    return new AcceleratorRequest(count, milliPerDevice, memoryMiBPerDevice, models, profile, minLinkScore, null);
  }

  /** True for a request of at least one device. */
  public boolean wantsDevices() {
    return count > 0;
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
   * share fractional sharing in a multiple of its granularity. The one rule the engine's filter,
   * preemption and every built-in policy share.
   */
  public boolean couldBeServedBy(DeviceModel model) {
    if (!allows(model)) {
      return false;
    }
    if (profile != null) {
      return model.sharing() == SharingMode.PROFILES && model.profile(profile).isPresent();
    }
    return milliPerDevice == DeviceModel.WHOLE_MILLI
        ? memoryMiBPerDevice <= model.memoryMiB()
        : model.sharing() == SharingMode.FRACTIONAL && milliPerDevice % model.granularityMilli() == 0;
  }

  /** Total compute requested, in milli (a profile counts by its share of the device). */
  public long totalMilli() {
    return (long) count * milliPerDevice;
  }

  /**
   * Checks the cross-field rules between this request and a model it may land on: a profile
   * only on a profile-partitioned model that has it; a fractional share only on a fractional
   * model, in its granularity.
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
    if (count > 0 && milliPerDevice < DeviceModel.WHOLE_MILLI && model.sharing() != SharingMode.FRACTIONAL) {
      throw new InvalidSpecException(
          "gpuMilli", milliPerDevice, "needs a fractional model, but " + model.name() + " is " + model.sharing().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (milliPerDevice < DeviceModel.WHOLE_MILLI && model.sharing() == SharingMode.FRACTIONAL
        && milliPerDevice % model.granularityMilli() != 0) {
      throw new InvalidSpecException(
          "gpuMilli", milliPerDevice, "must be a multiple of " + model.name() + "'s granularity " + model.granularityMilli());
    }
    if (memoryMiBPerDevice > model.memoryMiB()) {
      throw new InvalidSpecException(
          "gpuMemoryMiB", memoryMiBPerDevice, "must be at most " + model.name() + "'s " + model.memoryMiB());
    }
  }
}
