/**
 * Flex's public API. {@link io.flexsched.core.Scheduler} is the facade: build one with
 * {@link io.flexsched.core.Scheduler#builder()}, then {@code submit} requests and run
 * {@code schedule()} passes, or {@code place} them now; every answer is an
 * {@link io.flexsched.core.Outcome}. {@link io.flexsched.core.PlacementEngine} is the plain engine
 * for users who only want {@code place}; {@link io.flexsched.core.ConcurrentScheduler} is the
 * thread-safe front. Every operation completes or changes nothing.
 */
@NullMarked
package io.flexsched.core;

import org.jspecify.annotations.NullMarked;
