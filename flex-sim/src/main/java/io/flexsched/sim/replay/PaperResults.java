package io.flexsched.sim.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The FGD paper authors' cached results ({@code analysis_allo_discrete.csv}: one row per
 * workload, policy and seed, allocation % per bucket 0..130), to compare a replay against.
 */
public final class PaperResults {
  /** Our policy names to the paper's. */
  public static final Map<String, String> PAPER_NAMES = Map.of(
      "random", "01-Random", "dotprod", "02-DotProd", "clustering", "03-GpuClustering",
      "packing", "04-GpuPacking", "bestfit", "05-BestFit", "fgd", "06-FGD", "fgd-exact", "06-FGD");

  private final Map<String, double[]> sums = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();

  private PaperResults() {}

  /** Reads the authors' allocation file. */
  public static PaperResults load(Path allocationCsv) {
    var results = new PaperResults();
    try (BufferedReader in = Files.newBufferedReader(allocationCsv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.startsWith("workload,sc_policy,tune,seed,total_gpus,0,")) {
        throw new IllegalArgumentException(allocationCsv + " is not the paper's analysis_allo_discrete.csv");
      }
      String line;
      while ((line = in.readLine()) != null) {
        String[] cells = line.split(",", -1);
        String key = cells[0] + "/" + cells[1];
        double[] sum = results.sums.computeIfAbsent(key, k -> new double[PaperReplay.MAX_BUCKET + 1]);
        for (int b = 0; b <= PaperReplay.MAX_BUCKET; b++) {
          sum[b] += Double.parseDouble(cells[5 + b]);
        }
        results.counts.merge(key, 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return results;
  }

  /** The file next to a trace's pod list, if the trace directory has it. */
  public static Optional<Path> besideTrace(Path podsFile) {
    Path dir = podsFile.toAbsolutePath().getParent();
    Path f = dir == null ? null : dir.resolve("fgd-expected-results").resolve("analysis_allo_discrete.csv");
    return f != null && Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  /** The paper's mean allocation % over its seeds, per bucket, for our policy name on a workload. */
  public Optional<double[]> mean(String workload, String policy) {
    String paper = PAPER_NAMES.get(policy);
    if (paper == null) {
      return Optional.empty();
    }
    String key = workload + "/" + paper;
    double[] sum = sums.get(key);
    if (sum == null) {
      return Optional.empty();
    }
    double[] mean = new double[sum.length];
    for (int b = 0; b < sum.length; b++) {
      mean[b] = sum[b] / counts.get(key);
    }
    return Optional.of(mean);
  }

  /** Workload names the file covers. */
  public List<String> workloads() {
    return sums.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().sorted().toList();
  }
}
