/**
 * The domain model: accelerator {@link io.flexsched.model.DeviceModel}s and their sharing rules,
 * {@link io.flexsched.model.Node}s with their devices, links and topology path, schedulable
 * {@link io.flexsched.model.Task}s and the {@link io.flexsched.model.Assignment}s that bind them.
 *
 * <p>Every type is an immutable value validated on construction: a bad value throws
 * {@link io.flexsched.model.InvalidSpecException} naming the field and the value.
 */
@NullMarked
package io.flexsched.model;

import org.jspecify.annotations.NullMarked;
