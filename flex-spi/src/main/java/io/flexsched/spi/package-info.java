/**
 * Flex's service-provider interface: the contracts a scoring policy, a preemption policy, a
 * fragmentation measure or a hardware vendor implements, and the read-only values they see
 * ({@link io.flexsched.spi.NodeView}, {@link io.flexsched.spi.PreemptionRequest},
 * {@link io.flexsched.spi.Victim}). The engine's built-in policies and hardware are written
 * against this package only, so a user's extension is a first-class citizen.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (the nested
 * {@code ScoringPolicy.Provider} and {@code PreemptionPolicy.Provider} interfaces and
 * {@link io.flexsched.spi.HardwareProvider}, declared with {@code provides} in {@code module-info}
 * or listed in {@code META-INF/services}) or passed to the engine's builder explicitly.
 */
@NullMarked
package io.flexsched.spi;

import org.jspecify.annotations.NullMarked;
