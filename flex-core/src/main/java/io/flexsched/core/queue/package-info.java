/**
 * The scheduler's queue machinery (not exported): the pending set, fair share, the quota gate,
 * reclaim rules, backfill's reservations, remembered failures, the scheduling pass, and the
 * journal that takes queue state back with the engine's.
 */
@NullMarked
package io.flexsched.core.queue;

import org.jspecify.annotations.NullMarked;
