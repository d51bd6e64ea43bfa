/**
 * The placement engine: {@link io.flexsched.core.PlacementEngine} holds a cluster's state and
 * decides where tasks go (filter, score, select, reserve), inside
 * {@link io.flexsched.core.Transaction}s that commit or roll back as a whole.
 */
@NullMarked
package io.flexsched.core;

import org.jspecify.annotations.NullMarked;
