package io.flexsched.core.engine;

import io.flexsched.core.TieBreak;
import io.flexsched.core.providers.Hardware;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.PreemptionPolicy.MigrationPolicy;
import io.flexsched.spi.ScoringPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An engine's configuration, as the public builder collected it. {@link Draft} takes each setting
 * once and says what was already set; {@link Draft#settings()} fixes defaults.
 */
public record Settings(
    @Nullable ScoringPolicy policy,
    String policyName,
    long seed,
    DeviceCatalogue catalogue,
    WorkloadDistribution workload,
    @Nullable FragmentationMeasure fragmentation,
    Hardware hardware,
    boolean assertMode,
    TieBreak tieBreak,
    boolean nearestMiss,
    @Nullable MeterRegistry registry,
    Tags tags,
    Duration metricsRefresh,
    List<Node> nodes,
    MigrationPolicy migration,
    @Nullable Network network,
    @Nullable String remotePool) {

  /** System property that turns assert mode on for every engine that does not set it. */
  public static final String ASSERT_PROPERTY = "flex.assert";

  /**
   * System property: in assert mode, recompute after every N-th change instead of every change
   * (default 1). Long replays in tests use it to stay affordable; they verify at the end too.
   */
  public static final String ASSERT_EVERY_PROPERTY = "flex.assert.every";

  /** Settings being collected; each may be given once. */
  public static final class Draft {
    private @Nullable ScoringPolicy policy;
    private @Nullable String policyName;
    private @Nullable Long seed;
    private @Nullable DeviceCatalogue catalogue;
    private @Nullable WorkloadDistribution workload;
    private @Nullable FragmentationMeasure fragmentation;
    private @Nullable Hardware hardware;
    private @Nullable Boolean assertMode;
    private @Nullable TieBreak tieBreak;
    private @Nullable Boolean nearestMiss;
    private @Nullable MeterRegistry registry;
    private Tags tags = Tags.empty();
    private @Nullable Duration metricsRefresh;
    private final List<Node> nodes = new ArrayList<>();
    private @Nullable MigrationPolicy migration;
    private @Nullable Network network;
    private @Nullable String remotePool;

    public void policy(String name) {
      unset("policy", policy != null ? policy.name() : policyName);
      this.policyName = name;
    }

    public void policy(ScoringPolicy value) {
      unset("policy", policy != null ? policy.name() : policyName);
      this.policy = value;
    }

    public void seed(long value) {
      unset("seed", seed);
      this.seed = value;
    }

    public void catalogue(DeviceCatalogue value) {
      unset("catalogue", catalogue);
      this.catalogue = value;
    }

    public void workload(WorkloadDistribution value) {
      unset("workload", workload);
      this.workload = value;
    }

    public void fragmentation(FragmentationMeasure value) {
      unset("fragmentation", fragmentation == null ? null : fragmentation.name());
      this.fragmentation = value;
    }

    public void hardware(Collection<? extends HardwareProvider> providers) {
      unset("hardware", hardware == null ? null : hardware.providers());
      this.hardware = Hardware.of(providers);
    }

    public void assertMode(boolean value) {
      unset("assertMode", assertMode);
      this.assertMode = value;
    }

    public void tieBreak(TieBreak value) {
      unset("tieBreak", tieBreak);
      this.tieBreak = value;
    }

    public void nearestMiss(boolean value) {
      unset("nearestMiss", nearestMiss);
      this.nearestMiss = value;
    }

    public void metrics(MeterRegistry value, String... extraTags) {
      unset("metrics", registry);
      if (extraTags.length % 2 != 0) {
        throw new IllegalArgumentException("metrics tags must be key-value pairs, got " + extraTags.length + " strings");
      }
      this.registry = value;
      this.tags = Tags.of(extraTags);
    }

    public void metricsRefresh(Duration value) {
      unset("metricsRefresh", metricsRefresh);
      if (value.isNegative()) {
        throw new IllegalArgumentException("metricsRefresh must not be negative, got " + value);
      }
      this.metricsRefresh = value;
    }

    public void node(Node value) {
      nodes.add(value);
    }

    public void nodes(Collection<Node> value) {
      nodes.addAll(value);
    }

    public void migration(MigrationPolicy value) {
      unset("migration policy", migration == null ? null : migration.name());
      migration = java.util.Objects.requireNonNull(value, "migration");
    }

    public void network(Network value) {
      unset("network", network == null ? null : network.level());
      network = java.util.Objects.requireNonNull(value, "network");
    }

    /**
     * The node label whose values are the pools of remote devices.
     *
     * @throws InvalidSpecException when the level is null or blank
     */
    public void remoteDevicePool(String level) {
      unset("remoteDevicePool", remotePool);
      if (level == null || level.isBlank()) {
        throw new InvalidSpecException("remoteDevicePool", level == null ? "null" : "'" + level + "'", "must name a node label");
      }
      remotePool = level;
    }

    private static void unset(String setting, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /** The settings, with defaults for what was not given. */
    public Settings settings() {
      return new Settings(policy, policyName == null ? "fgd" : policyName, seed == null ? 42 : seed,
          catalogue == null ? DeviceCatalogue.builtIn() : catalogue,
          workload == null ? WorkloadDistribution.EMPTY : workload, fragmentation,
          hardware == null ? io.flexsched.core.providers.Providers.hardware() : hardware,
          assertMode != null ? assertMode : Boolean.getBoolean(ASSERT_PROPERTY),
          tieBreak == null ? TieBreak.NODE_ORDER : tieBreak, nearestMiss == null || nearestMiss, registry, tags,
          metricsRefresh == null ? Duration.ofSeconds(10) : metricsRefresh, List.copyOf(nodes),
          migration == null ? MigrationPolicy.STANDARD : migration, network, remotePool);
    }
  }
}
