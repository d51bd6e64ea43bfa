/**
 * Scenario files and {@code flex plan}: a small, human-written cluster plus a sequence of events
 * (tasks, releases, nodes leaving and joining), read from YAML with a line number for every
 * error, run through the engine, and reported as one JSON object per decision.
 *
 * <p>The contract is {@code scenario-format.md}. {@link io.flexsched.sim.plan.ScenarioReader}
 * rejects a bad file with a {@link io.flexsched.sim.plan.ScenarioException} naming the file, the
 * line and the field; {@link io.flexsched.sim.plan.PlanRunner} runs a valid scenario and returns
 * its JSON lines, so a caller prints nothing until the whole scenario has been accepted.
 */
@NullMarked
package io.flexsched.sim.plan;

import org.jspecify.annotations.NullMarked;
