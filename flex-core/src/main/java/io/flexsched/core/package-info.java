/**
 * The placement engine: {@link io.flexsched.core.PlacementEngine} holds a cluster's state and
 * decides where tasks go (filter, score, select, reserve), inside
 * {@link io.flexsched.core.Transaction}s that commit or roll back as a whole.
 * {@link io.flexsched.core.Preemption} places tasks that fit nowhere by evicting lower-priority
 * ones, and {@link io.flexsched.core.SchedulingQueue} schedules pending tasks under queues with
 * guarantees, limits and fair share.
 */
@NullMarked
package io.flexsched.core;

import org.jspecify.annotations.NullMarked;
