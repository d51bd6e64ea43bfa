/**
 * The built-in scoring policies (those of the FGD paper), written only against
 * {@code io.flexsched.spi} and registered through {@link java.util.ServiceLoader} like anyone
 * else's. Not exported: select them by name.
 */
@NullMarked
package io.flexsched.core.policy;

import org.jspecify.annotations.NullMarked;
