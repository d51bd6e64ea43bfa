/**
 * The engine's machinery (not exported): cluster state in primitive columns, the filter, indexed
 * and scanning selection, reservation of devices, gang placement, near-miss search, the undo log
 * that makes every operation atomic, and the metrics.
 */
@NullMarked
package io.flexsched.core.engine;

import org.jspecify.annotations.NullMarked;
