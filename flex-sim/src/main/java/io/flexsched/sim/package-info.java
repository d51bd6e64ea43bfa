/**
 * The simulator: loaders for cluster traces, the FGD paper's replay protocol, scenario files, and
 * the {@code flex} command line.
 */
@NullMarked
package io.flexsched.sim;

import org.jspecify.annotations.NullMarked;
