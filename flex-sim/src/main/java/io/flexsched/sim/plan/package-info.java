/**
 * Scenario files and {@code flex plan}: a cluster plus a sequence of events (tasks, releases,
 * nodes leaving and joining), read from YAML or JSON Lines with a line number for every error,
 * run through the engine, and reported as one JSON object per decision.
 *
 * <p>The contract is {@code scenario-format.md}. {@link io.flexsched.sim.plan.ScenarioStream}
 * validates a whole file part by part, holding only what the cluster and its open tasks need, and
 * rejects a bad one with a {@link io.flexsched.sim.plan.ScenarioException} naming the file, the
 * line and the field; {@link io.flexsched.sim.plan.PlanRunner} then reads the events again and
 * hands each JSON line on as it is decided, so a caller prints nothing for bad input and holds
 * nothing per event. {@link io.flexsched.sim.plan.ScenarioReader} reads a small file whole.
 */
@NullMarked
package io.flexsched.sim.plan;

import org.jspecify.annotations.NullMarked;
