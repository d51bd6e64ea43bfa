package io.flexsched.kubernetes;

import io.flexsched.core.QueueSpec;
import io.flexsched.model.InvalidSpecException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the Kubernetes scheduler and extender are told: the flags, and what {@code --config} adds
 * (queues, GPU product mappings, topology labels, whether to preempt).
 *
 * @param schedulerName pods naming it in {@code spec.schedulerName} are scheduled
 * @param policy the scoring policy's name
 * @param queues the queues pods name in {@code flexsched.io/queue}
 * @param gpuProducts exact {@code nvidia.com/gpu.product} values mapped to catalogue models
 * @param topologyLabels node labels, outermost first, with the level name gangs use
 * @param preemption whether pods may preempt
 */
record SchedulerSettings(String schedulerName, String policy, List<QueueSpec> queues, Map<String, String> gpuProducts,
    Map<String, String> topologyLabels, boolean preemption) {
  private static final Set<String> KEYS = Set.of("queues", "gpuProducts", "topologyLabels", "preemption");

  SchedulerSettings {
    queues = List.copyOf(queues);
    gpuProducts = Map.copyOf(gpuProducts);
    topologyLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(topologyLabels));
  }

  static SchedulerSettings defaults(String schedulerName, String policy) {
    return new SchedulerSettings(schedulerName, policy, List.of(), Map.of(), NodeMapping.defaultTopology(), true);
  }

  /** These settings with {@code products} as the GPU product names. */
  SchedulerSettings withGpuProducts(Map<String, String> products) {
    return new SchedulerSettings(schedulerName, policy, queues, products, topologyLabels, preemption);
  }

  /**
   * These settings with what the YAML file {@code path} adds.
   *
   * @throws InvalidSpecException naming the file, the key and the value when it is malformed
   * @throws IOException when it cannot be read
   */
  SchedulerSettings withConfig(Path path) throws IOException {
    Object root;
    try (Reader r = Files.newBufferedReader(path)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (RuntimeException e) {
      throw new InvalidSpecException(path.toString(), "(YAML)", "must be valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null) {
      return this;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new InvalidSpecException(path.toString(), "(top level)", "must be a mapping of " + KEYS);
    }
    var queues = new ArrayList<>(this.queues);
    var products = new LinkedHashMap<>(this.gpuProducts);
    var topology = new LinkedHashMap<>(this.topologyLabels);
    boolean preempt = this.preemption;
    for (var e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      String field = path.getFileName() + " " + key;
      switch (key) {
        case "queues" -> {
          for (Object q : list(field, e.getValue())) {
            queues.add(queue(field, q));
          }
        }
        case "gpuProducts" -> mapping(field, e.getValue()).forEach(products::put);
        case "topologyLabels" -> {
          topology.clear();
          mapping(field, e.getValue()).forEach(topology::put);
        }
        case "preemption" -> {
          if (!(e.getValue() instanceof Boolean b)) {
            throw new InvalidSpecException(field, e.getValue(), "must be true or false");
          }
          preempt = b;
        }
        default -> throw new InvalidSpecException(path.getFileName().toString(), key, "is not a known key " + KEYS);
      }
    }
    return new SchedulerSettings(schedulerName, policy, queues, products, topology, preempt);
  }

  private static List<?> list(String field, Object value) {
    if (!(value instanceof List<?> l)) {
      throw new InvalidSpecException(field, value, "must be a list");
    }
    return l;
  }

  private static Map<String, String> mapping(String field, Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new InvalidSpecException(field, value, "must be a mapping");
    }
    var out = new LinkedHashMap<String, String>();
    m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private static QueueSpec queue(String field, Object value) {
    if (!(value instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
      throw new InvalidSpecException(field, value, "must be a mapping with a name");
    }
    var b = QueueSpec.builder(name);
    for (var e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (k.equals("name")) {
        continue;
      }
      if (!(e.getValue() instanceof Number n)) {
        throw new InvalidSpecException(field + " " + name + " " + k, e.getValue(), "must be a number");
      }
      switch (k) {
        case "guaranteedGpus" -> b.guaranteedGpuMilli(Math.round(n.doubleValue() * 1000));
        case "limitGpus" -> b.limitGpuMilli(Math.round(n.doubleValue() * 1000));
        case "guaranteedCpuMilli" -> b.guaranteedCpuMilli(n.longValue());
        case "limitCpuMilli" -> b.limitCpuMilli(n.longValue());
        case "guaranteedMemoryMiB" -> b.guaranteedMemoryMiB(n.longValue());
        case "limitMemoryMiB" -> b.limitMemoryMiB(n.longValue());
        case "weight" -> b.weight(n.doubleValue());
        default -> throw new InvalidSpecException(field + " " + name, k, "is not a queue key");
      }
    }
    return b.build();
  }
}
