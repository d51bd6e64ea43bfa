package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.Assignment;
import io.flexsched.model.Gang;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A gang's decision inside the engine: every member placed, or none.
 *
 * @param gang the gang
 * @param placed true when every member was placed
 * @param domain the topology domain the members went to (or were last tried in), or null
 * @param assignments the members' assignments when placed, largest member first; else empty
 * @param blocking the member that could not be placed in the last attempt, or null when placed
 * @param reasons per reason, how many nodes rejected the blocking member (nodes outside the domain
 *     count as {@link RejectReason#TOPOLOGY})
 */
record GangDecision(Gang gang, boolean placed, @Nullable String domain, List<Assignment> assignments,
    @Nullable String blocking, Map<RejectReason, Integer> reasons) {}
