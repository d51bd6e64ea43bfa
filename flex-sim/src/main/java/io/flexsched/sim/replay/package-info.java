/**
 * Replays of workloads. {@link io.flexsched.sim.replay.PaperReplay} is the FGD paper's protocol:
 * typical tasks, a seeded shuffle, inflation to 130% of GPU capacity, one attempt per task, and
 * GPU allocation against arrivals, over policies and seeds. {@link
 * io.flexsched.sim.replay.TimeReplay} is time-driven: a trace's creation and deletion times as
 * arrivals and departures, QoS classes as priorities, with queueing, preemption and retries.
 */
@NullMarked
package io.flexsched.sim.replay;

import org.jspecify.annotations.NullMarked;
