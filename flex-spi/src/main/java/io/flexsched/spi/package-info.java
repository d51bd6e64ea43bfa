/**
 * Flex's service-provider interface: the contracts a scoring policy, a fragmentation measure or
 * a hardware provider implements, and the read-only {@link io.flexsched.spi.NodeView} of cluster
 * state they see. The engine's built-in policies are written against this package only, so a
 * user's policy is a first-class citizen.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} ({@code provides} in
 * {@code module-info} or {@code META-INF/services}) or passed to the engine explicitly.
 */
@NullMarked
package io.flexsched.spi;

import org.jspecify.annotations.NullMarked;
