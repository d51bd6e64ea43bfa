/** Preemption (not exported): the victim search around a preemption policy, and the eviction. */
@NullMarked
package io.flexsched.core.preempt;

import org.jspecify.annotations.NullMarked;
