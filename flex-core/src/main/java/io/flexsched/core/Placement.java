package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.Task;

/** A placed task: the task, the node ordinal it is on, and its assignment. */
record Placement(Task task, int node, Assignment assignment) {}
