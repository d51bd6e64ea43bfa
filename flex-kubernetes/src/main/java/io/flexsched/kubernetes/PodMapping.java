package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Maps a pod to a Flex task: its effective CPU and memory request, its accelerator request (whole
 * GPUs, HAMi / Volcano / Flex:ai shares, a MIG profile, Ascend NPUs; the first that the pod names
 * wins), allowed models, priority, preemptibility, queue and gang. A malformed request is an
 * {@link InvalidSpecException} naming the resource or annotation and its value.
 */
final class PodMapping {
  static final String QUEUE = "flexsched.io/queue";
  static final String PREEMPTIBLE = "flexsched.io/preemptible";
  static final String GANG = "flexsched.io/gang";
  static final String MEM_PERCENTAGE = "nvidia.com/gpumem-percentage";
  static final String GANG_SIZE = "flexsched.io/gang-size";
  static final String GANG_TOPOLOGY = "flexsched.io/gang-topology";
  static final String GANG_REQUIRED = "flexsched.io/gang-required";
  static final String MODELS = "flexsched.io/models";
  static final String HAMI_MODELS = "nvidia.com/use-gputype";
  private static final String MIG_PREFIX = "nvidia.com/mig-";

  private final DeviceCatalogue catalogue;
  private final PodGroups groups;

  PodMapping(DeviceCatalogue catalogue) {
    this(catalogue, new PodGroups(false));
  }

  /** With gangs also read from scheduler-plugins PodGroups ({@code groups}). */
  PodMapping(DeviceCatalogue catalogue, PodGroups groups) {
    this.catalogue = catalogue;
    this.groups = groups;
  }

  /** The task id of a pod: {@code namespace/name}. */
  static String id(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * Maps {@code pod}.
   *
   * @throws InvalidSpecException naming the field and the value when the pod's request is malformed
   */
  Task map(Pod pod) {
    Map<String, BigDecimal> req = effectiveRequests(pod);
    Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    var b = Task.builder(id(pod))
        .cpuMilli(req.getOrDefault("cpu", BigDecimal.ZERO).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact())
        .memoryMiB(req.getOrDefault("memory", BigDecimal.ZERO).divide(BigDecimal.valueOf(1L << 20), 0, java.math.RoundingMode.CEILING).longValueExact())
        .priority(pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority())
        .preemptible(!"false".equalsIgnoreCase(ann.getOrDefault(PREEMPTIBLE, "true").trim()))
        .queue(ann.get(QUEUE));
    Set<String> models = allowedModels(ann);
    AcceleratorRequest acc = accelerators(req, models);
    if (!models.isEmpty()) {
      if (!acc.wantsDevices()) {
        throw new InvalidSpecException(ann.containsKey(MODELS) ? MODELS : HAMI_MODELS, String.join(",", models),
            "names models, but the pod asks for no accelerator");
      }
      acc = acc.onModels(models);
    }
    b.accelerators(acc);
    Gang gang = gang(pod, ann);
    b.gang(gang != null ? gang : groups.gang(pod));
    b.nodeSelector(pod.getSpec().getNodeSelector() == null ? Map.of() : pod.getSpec().getNodeSelector());
    b.tolerations(tolerations(pod));
    return b.build();
  }

  /**
   * The pod's tolerations as Flex's: {@code Exists} matches any value, an empty key (with
   * {@code Exists}) every taint, an empty effect every effect. A toleration with
   * {@code tolerationSeconds} still tolerates: it bounds how long a pod stays after a NoExecute
   * taint appears, which is the kubelet's business, not placement's.
   *
   * @throws InvalidSpecException naming the toleration when its operator is unknown
   */
  static List<Task.Toleration> tolerations(Pod pod) {
    List<Toleration> given = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    var out = new java.util.ArrayList<Task.Toleration>(given.size());
    for (Toleration t : given) {
      String key = t.getKey() == null || t.getKey().isEmpty() ? null : t.getKey();
      String effect = t.getEffect() == null || t.getEffect().isEmpty() ? null : t.getEffect();
      String operator = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
      switch (operator) {
        case "Exists" -> out.add(new Task.Toleration(key, null, effect));
        case "Equal" -> {
          if (key == null) {
            throw new InvalidSpecException("spec.tolerations", "operator Equal without a key", "must name a key (or use Exists)");
          }
          out.add(new Task.Toleration(key, t.getValue() == null ? "" : t.getValue(), effect));
        }
        default -> throw new InvalidSpecException("spec.tolerations operator", "'" + operator + "'", "must be Exists or Equal");
      }
    }
    return out;
  }

  /**
   * Per resource, max(any init container, sum of containers) plus overhead: what the kubelet
   * reserves. A container's request defaults to its limit.
   */
  static Map<String, BigDecimal> effectiveRequests(Pod pod) {
    var sum = new HashMap<String, BigDecimal>();
    for (Container c : pod.getSpec().getContainers()) {
      requests(c).forEach((k, v) -> sum.merge(k, Quantities.amount("container " + c.getName() + " " + k, v), BigDecimal::add));
    }
    List<Container> init = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    for (Container c : init) {
      requests(c).forEach((k, v) -> sum.merge(k, Quantities.amount("initContainer " + c.getName() + " " + k, v), BigDecimal::max));
    }
    Map<String, Quantity> overhead = pod.getSpec().getOverhead() == null ? Map.of() : pod.getSpec().getOverhead();
    overhead.forEach((k, v) -> sum.merge(k, Quantities.amount("overhead " + k, v), BigDecimal::add));
    return sum;
  }

  private static Map<String, Quantity> requests(Container c) {
    ResourceRequirements r = c.getResources();
    if (r == null) {
      return Map.of();
    }
    var out = new HashMap<String, Quantity>();
    if (r.getLimits() != null) {
      out.putAll(r.getLimits());
    }
    if (r.getRequests() != null) {
      out.putAll(r.getRequests());
    }
    return out;
  }

  private AcceleratorRequest accelerators(Map<String, BigDecimal> req, Set<String> models) {
    long gpus = count(req, NodeMapping.GPU);
    long cores = count(req, "nvidia.com/gpucores");
    long mem = count(req, "nvidia.com/gpumem");
    long memPct = count(req, MEM_PERCENTAGE);
    if (cores >= 0 || mem >= 0 || memPct >= 0) {
      if (memPct >= 0 && mem < 0) {
        mem = memoryOfPercentage(memPct, models);
      }
      return share("nvidia.com/gpu", gpus, "nvidia.com/gpucores", cores, 1, "nvidia.com/gpumem", mem);
    }
    if (gpus >= 0) {
      return gpus == 0 ? AcceleratorRequest.NONE : AcceleratorRequest.whole(devices(NodeMapping.GPU, gpus));
    }
    long vn = count(req, "volcano.sh/vgpu-number");
    if (vn >= 0) {
      return share("volcano.sh/vgpu-number", vn, "volcano.sh/vgpu-cores", count(req, "volcano.sh/vgpu-cores"), 1,
          "volcano.sh/vgpu-memory", count(req, "volcano.sh/vgpu-memory"));
    }
    long hn = count(req, "huawei.com/vgpu-number");
    if (hn >= 0) {
      long g = count(req, "huawei.com/vgpu-memory.1Gi");
      return share("huawei.com/vgpu-number", hn, "huawei.com/vgpu-cores", count(req, "huawei.com/vgpu-cores"), 5,
          "huawei.com/vgpu-memory.1Gi", g < 0 ? -1 : Math.multiplyExact(g, 1024L));
    }
    for (String key : new TreeSet<>(req.keySet())) {
      if (key.startsWith(MIG_PREFIX)) {
        return mig(key, count(req, key));
      }
    }
    long npus = count(req, NodeMapping.ASCEND);
    if (npus > 0) {
      return AcceleratorRequest.whole(devices(NodeMapping.ASCEND, npus)).onModels(Set.of("Ascend910"));
    }
    return AcceleratorRequest.NONE;
  }

  private static AcceleratorRequest share(String numberKey, long n, String coresKey, long percent, int step,
      String memKey, long memMiB) {
    if (n <= 0) {
      throw new InvalidSpecException(numberKey, Math.max(n, 0), "must be at least 1 for a GPU share");
    }
    if (percent > 100) {
      throw new InvalidSpecException(coresKey, percent, "must be a percentage of 1..100");
    }
    if (percent == 0) {
      throw new InvalidSpecException(coresKey, percent, "must be a percentage of 1..100");
    }
    if (percent > 0 && percent % step != 0) {
      throw new InvalidSpecException(coresKey, percent, "must be a multiple of " + step);
    }
    // A share that names no compute takes the device's whole compute, so compute is never over-committed.
    int milli = percent < 0 ? DeviceModel.WHOLE_MILLI : (int) percent * 10;
    return AcceleratorRequest.share(devices(numberKey, n), milli, Math.max(memMiB, 0));
  }

  /**
   * HAMi's share of each device's memory, in MiB. Flex accounts device memory in MiB, so the
   * percentage is exact only when the pod's allowed models all have one memory size.
   */
  private long memoryOfPercentage(long percent, Set<String> models) {
    if (percent < 1 || percent > 100) {
      throw new InvalidSpecException(MEM_PERCENTAGE, percent, "must be a percentage of 1..100");
    }
    var sizes = new TreeSet<Long>();
    for (String name : models) {
      DeviceModel m = catalogue.find(name).orElseThrow(() -> new InvalidSpecException(MEM_PERCENTAGE, percent,
          "needs models Flex knows the memory of; " + name + " is not in the catalogue"));
      sizes.add(m.memoryMiB());
    }
    if (sizes.size() != 1) {
      throw new InvalidSpecException(MEM_PERCENTAGE, percent, models.isEmpty()
          ? "needs the pod's models (" + HAMI_MODELS + " or " + MODELS + ") to size it, or nvidia.com/gpumem in MiB"
          : "needs allowed models of one memory size (these have " + sizes + " MiB), or nvidia.com/gpumem in MiB");
    }
    return (sizes.first() * percent + 99) / 100;
  }

  private AcceleratorRequest mig(String key, long n) {
    String profile = key.substring(MIG_PREFIX.length());
    if (n != 1) {
      throw new InvalidSpecException(key, n, "must be 1: Flex places one MIG profile per pod");
    }
    var models = new TreeSet<String>();
    for (DeviceModel m : catalogue.models().values()) {
      for (Profile p : m.profiles()) {
        if (p.name().equals(profile)) {
          models.add(m.name());
        }
      }
    }
    if (models.isEmpty()) {
      throw new InvalidSpecException(key, n, "names MIG profile '" + profile + "', which no known GPU model has");
    }
    return AcceleratorRequest.profile(profile).onModels(models);
  }

  private static int devices(String key, long n) {
    if (n > 64) {
      throw new InvalidSpecException(key, n, "must be at most 64");
    }
    return (int) n;
  }

  /** A whole-number resource, or -1 when the pod does not name it. */
  private static long count(Map<String, BigDecimal> req, String key) {
    BigDecimal v = req.get(key);
    if (v == null) {
      return -1;
    }
    if (v.signum() < 0) {
      throw new InvalidSpecException(key, v.toPlainString(), "must not be negative");
    }
    if (v.stripTrailingZeros().scale() > 0) {
      throw new InvalidSpecException(key, v.toPlainString(), "must be a whole number");
    }
    return v.longValueExact();
  }

  private Set<String> allowedModels(Map<String, String> ann) {
    String exact = ann.get(MODELS);
    var out = new TreeSet<String>();
    if (exact != null) {
      for (String name : exact.split(",")) {
        String n = name.trim();
        if (catalogue.find(n).isEmpty()) {
          throw new InvalidSpecException(MODELS, exact, "names model '" + n + "', which is not in the catalogue");
        }
        out.add(n);
      }
      return out;
    }
    String hami = ann.get(HAMI_MODELS);
    if (hami != null) {
      // HAMi matches a type by substring of the device's name (A100 covers A100-40GB and A100-80GB).
      for (String name : hami.split(",")) {
        String n = name.trim();
        int before = out.size();
        for (String model : catalogue.models().keySet()) {
          if (model.contains(n)) {
            out.add(model);
          }
        }
        if (out.size() == before) {
          throw new InvalidSpecException(HAMI_MODELS, hami, "names type '" + n + "', which matches no known model");
        }
      }
    }
    return out;
  }

  private static @Nullable Gang gang(Pod pod, Map<String, String> ann) {
    String name = ann.get(GANG);
    if (name == null) {
      return null;
    }
    String sizeText = ann.get(GANG_SIZE);
    int size;
    try {
      size = Integer.parseInt(sizeText == null ? "" : sizeText.trim());
    } catch (NumberFormatException e) {
      throw new InvalidSpecException(GANG_SIZE, sizeText == null ? "absent" : "'" + sizeText + "'",
          "must be a whole number when " + GANG + " is set");
    }
    if (size < 1 || size > 10_000) {
      throw new InvalidSpecException(GANG_SIZE, size, "must be 1..10000");
    }
    String level = ann.get(GANG_TOPOLOGY);
    boolean required = "true".equalsIgnoreCase(ann.getOrDefault(GANG_REQUIRED, "false").trim());
    return new Gang(pod.getMetadata().getNamespace() + "/" + name, size, level, required && level != null);
  }
}
