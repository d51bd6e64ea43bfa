/**
 * Loaders for the Alibaba GPU cluster trace (cluster-trace-gpu-v2023, the FGD paper's "openb"
 * files): node lists and pod lists, rejecting a bad row with the file, the line and the column.
 */
@NullMarked
package io.flexsched.sim.trace;

import org.jspecify.annotations.NullMarked;
