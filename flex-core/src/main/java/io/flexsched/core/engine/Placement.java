package io.flexsched.core.engine;

import io.flexsched.model.Assignment;
import io.flexsched.model.Task;

/**
 * A placed task: the task, the node ordinal it is on, its assignment, and its place in the order
 * of placements (kept when a rollback puts the placement back, so that order is restored too).
 */
record Placement(Task task, int node, Assignment assignment, long sequence) {}
