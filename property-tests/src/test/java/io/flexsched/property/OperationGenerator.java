package io.flexsched.property;

import io.flexsched.core.RandomClusters;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Seeded random operations, chosen online from what a {@link ModelRun} holds so that most of them
 * make sense (release a placed task, cancel a pending one, remove a live node) and some probe the
 * refusals (a duplicate task or node, an unknown id, a commit with nothing open). Tasks get
 * priorities, so that preemption happens, and queues when the run has them; some requests are
 * gangs of two or three. A run starts with 4 to 24 random
 * heterogeneous nodes (whole, fractional and profile devices, CPU-only nodes) as
 * {@link Operation.AddNode}s, so that shrinking can drop nodes too. In a quarter of the seeds
 * ({@link #numa}), about half of the nodes declare NUMA nodes and tasks require or prefer NUMA
 * affinity. In another quarter ({@link #timeSliced}), about a third of the nodes have time-sliced
 * devices and about half of the shares are weighted time slices. About a third of the tasks that
 * ask for devices (and do not require NUMA affinity) accept remote devices with a small penalty,
 * drawn from a stream of their own so that the other draws of a seed stay as they were.
 *
 * <p>Each kind of operation is a weighted {@link Source}; a new engine operation plugs in as one
 * more source.
 */
public final class OperationGenerator {
  /** The most nodes a run grows to, and the fewest it shrinks to by removals. */
  static final int MAX_NODES = 24;
  static final int MIN_NODES = 2;
  /** The most pending tasks a run submits up to: a pass tries them all, and a full cluster keeps them. */
  static final int MAX_PENDING = 32;
  /** The deepest nesting of transactions. */
  static final int MAX_DEPTH = 3;

  /** One kind of operation: null when it makes no sense in the run's current state. */
  @FunctionalInterface
  public interface Source {
    @Nullable Operation next(OperationGenerator g, ModelRun run);
  }

  private record Weighted(int weight, Source source) {}

  private final SplittableRandom random;
  private final SplittableRandom remote;
  private final RandomClusters clusters;
  private final List<Weighted> sources = new ArrayList<>();
  private int initialNodes;
  private int ghosts;
  private int gangs;

  public OperationGenerator(long seed) {
    this.random = new SplittableRandom(seed);
    this.remote = new SplittableRandom(seed ^ 0x7E307EL);
    this.clusters = new RandomClusters(random.nextLong(), false, numa(seed), timeSliced(seed));
    this.initialNodes = 4 + random.nextInt(MAX_NODES - 4 + 1);
    add(360, (g, run) -> new Operation.Place(g.task(run)));
    add(25, (g, run) -> new Operation.Place(g.gang(run)));
    add(40, (g, run) -> new Operation.Defragment(List.of(g.task(run)), 1 + g.random.nextInt(4)));
    add(6, (g, run) -> new Operation.Defragment(g.gang(run), 1 + g.random.nextInt(4)));
    add(90, (g, run) -> run.pendingIds().size() < MAX_PENDING ? new Operation.Submit(List.of(g.task(run))) : null);
    add(15, (g, run) -> run.pendingIds().size() < MAX_PENDING ? new Operation.Submit(g.gang(run)) : null);
    add(60, (g, run) -> new Operation.Schedule());
    add(30, OperationGenerator::cancelPending);
    add(4, (g, run) -> new Operation.Cancel("ghost" + g.ghosts++));
    add(6, OperationGenerator::fenceLive);
    add(8, OperationGenerator::unfenceFenced);
    add(2, (g, run) -> new Operation.Fence("gone" + g.ghosts++, g.random.nextBoolean()));
    add(260, OperationGenerator::releasePlaced);
    add(40, (g, run) -> g.lastPlaced(run));
    add(8, OperationGenerator::releaseUnknown);
    add(8, OperationGenerator::placeDuplicate);
    add(4, OperationGenerator::submitDuplicate);
    add(25, (g, run) -> run.liveNodes().size() < MAX_NODES ? new Operation.AddNode(g.clusters.node()) : null);
    add(8, OperationGenerator::readdRemoved);
    add(4, OperationGenerator::addDuplicate);
    add(25, OperationGenerator::removeLive);
    add(4, (g, run) -> new Operation.RemoveNode("gone" + g.ghosts++));
    add(30, (g, run) -> run.openTransactions() < MAX_DEPTH ? new Operation.Begin() : null);
    add(20, (g, run) -> run.openTransactions() > 0 ? new Operation.Commit() : null);
    add(20, (g, run) -> run.openTransactions() > 0 ? new Operation.Rollback() : null);
    add(2, (g, run) -> run.openTransactions() == 0 ? g.either(new Operation.Commit(), new Operation.Rollback()) : null);
  }

  /** Whether runs of {@code seed} have NUMA layouts and affinity (a quarter of the seeds; the others keep their streams). */
  public static boolean numa(long seed) {
    return Math.floorMod(seed, 4L) == 3;
  }

  /**
   * Whether runs of {@code seed} have time-sliced devices and weighted time slices (a quarter of
   * the seeds; the others keep their streams).
   */
  public static boolean timeSliced(long seed) {
    return Math.floorMod(seed, 4L) == 1;
  }

  /** A task of the generator's shapes, with a priority (a fifth of them above 0) and, in a run with queues, a queue. */
  private Task task(ModelRun run) {
    Task base = clusters.task();
    Task.Builder b = base.toBuilder();
    if (base.accelerators().wantsDevices() && base.numa() != Task.Numa.REQUIRED && remote.nextInt(3) == 0) {
      b.accelerators(base.accelerators().remoteOk(remote.nextInt(4)));
    }
    if (random.nextInt(5) == 0) {
      b.priority(1 + random.nextInt(3)).preemptible(random.nextInt(4) != 0);
    }
    if (run.config().queues()) {
      int q = random.nextInt(3);
      b.queue(q == 0 ? null : q == 1 ? "qa" : "qb");
    }
    return b.build();
  }

  /** The two or three members of a new gang, of one queue. */
  private List<Task> gang(ModelRun run) {
    int size = 2 + random.nextInt(2);
    Gang gang = new Gang("g" + gangs++, size, null, false);
    Task first = task(run);
    var members = new ArrayList<Task>(size);
    for (int i = 0; i < size; i++) {
      Task t = i == 0 ? first : task(run);
      members.add(t.toBuilder().gang(gang).queue(first.queue()).priority(first.priority()).build());
    }
    return members;
  }

  /** Adds a kind of operation with its weight (the built-in weights sum to about 1,050). */
  public OperationGenerator add(int weight, Source source) {
    sources.add(new Weighted(weight, source));
    return this;
  }

  /** The next operation for {@code run}; in the faulty-SPI mode, a share of them faulty. */
  public Operation next(ModelRun run) {
    Operation op = nextPlain(run);
    double faults = run.config().faults();
    return faults > 0 && random.nextDouble() < faults
        ? new Operation.Faulty(op, random.nextInt(Faults.MAX_DELAY), random.nextLong()) : op;
  }

  private Operation nextPlain(ModelRun run) {
    if (initialNodes > 0) {
      initialNodes--;
      return new Operation.AddNode(clusters.node());
    }
    int total = 0;
    for (Weighted w : sources) {
      total += w.weight();
    }
    while (true) {
      int pick = random.nextInt(total);
      for (Weighted w : sources) {
        pick -= w.weight();
        if (pick < 0) {
          Operation op = w.source().next(this, run);
          if (op != null) {
            return op;
          }
          break;
        }
      }
    }
  }

  /** A uniform int in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private Operation either(Operation a, Operation b) {
    return random.nextBoolean() ? a : b;
  }

  private static @Nullable Operation releasePlaced(OperationGenerator g, ModelRun run) {
    List<String> ids = run.placedIds();
    return ids.isEmpty() ? null : new Operation.Release(ids.get(g.nextInt(ids.size())));
  }

  private @Nullable Operation lastPlaced(ModelRun run) {
    String id = run.lastPlaced();
    return id == null ? null : new Operation.Release(id);
  }

  private static Operation releaseUnknown(OperationGenerator g, ModelRun run) {
    return new Operation.Release("ghost" + g.ghosts++);
  }

  private static @Nullable Operation placeDuplicate(OperationGenerator g, ModelRun run) {
    List<String> ids = run.placedIds();
    if (ids.isEmpty()) {
      return null;
    }
    // Same id, different shape: the engine must refuse it by id alone.
    Task fresh = g.clusters.task();
    return new Operation.Place(fresh.toBuilder().id(ids.get(g.nextInt(ids.size()))).build());
  }

  /** A pending id submitted again (as a new shape): refused by id. */
  private static @Nullable Operation submitDuplicate(OperationGenerator g, ModelRun run) {
    List<String> ids = run.pendingIds();
    if (ids.isEmpty()) {
      return null;
    }
    Task fresh = g.clusters.task();
    return new Operation.Submit(List.of(fresh.toBuilder().id(ids.get(g.nextInt(ids.size()))).build()));
  }

  private static @Nullable Operation cancelPending(OperationGenerator g, ModelRun run) {
    List<String> ids = run.pendingIds();
    return ids.isEmpty() ? null : new Operation.Cancel(ids.get(g.nextInt(ids.size())));
  }

  private static @Nullable Operation fenceLive(OperationGenerator g, ModelRun run) {
    List<Node> live = run.liveNodes();
    // Keep most of the cluster open: a fenced node takes nothing new.
    return live.size() <= 2 * run.fencedNames().size() + 1 ? null
        : new Operation.Fence(live.get(g.nextInt(live.size())).name(), true);
  }

  private static @Nullable Operation unfenceFenced(OperationGenerator g, ModelRun run) {
    List<String> fenced = run.fencedNames();
    return fenced.isEmpty() ? null : new Operation.Fence(fenced.get(g.nextInt(fenced.size())), false);
  }

  private static @Nullable Operation readdRemoved(OperationGenerator g, ModelRun run) {
    List<String> gone = run.removedNodeNames();
    if (gone.isEmpty() || run.liveNodes().size() >= MAX_NODES) {
      return null;
    }
    // A node of a removed name joins again, with another shape.
    Node fresh = g.clusters.node();
    return new Operation.AddNode(fresh.withName(gone.get(g.nextInt(gone.size()))));
  }

  private static @Nullable Operation addDuplicate(OperationGenerator g, ModelRun run) {
    List<Node> live = run.liveNodes();
    return live.isEmpty() ? null : new Operation.AddNode(g.clusters.node().withName(live.get(g.nextInt(live.size())).name()));
  }

  private static @Nullable Operation removeLive(OperationGenerator g, ModelRun run) {
    List<Node> live = run.liveNodes();
    return live.size() <= MIN_NODES ? null : new Operation.RemoveNode(live.get(g.nextInt(live.size())).name());
  }
}
