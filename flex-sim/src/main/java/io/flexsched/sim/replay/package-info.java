/**
 * The FGD paper's replay protocol: typical tasks, a seeded shuffle, inflation to 130% of GPU
 * capacity, one attempt per task, and GPU allocation against arrivals, over policies and seeds.
 */
@NullMarked
package io.flexsched.sim.replay;

import org.jspecify.annotations.NullMarked;
