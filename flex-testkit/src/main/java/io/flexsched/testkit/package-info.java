/**
 * A conformance kit for SPI implementers, in the spirit of guava-testlib: run
 * {@link io.flexsched.testkit.HardwareConformance#check} against your hardware provider and
 * {@link io.flexsched.testkit.PolicyConformance#check} against your scoring policy from your
 * own tests (any framework: a failure is a {@link io.flexsched.testkit.ConformanceError}
 * listing every broken rule, with the seed that reproduces it). Flex's own providers and
 * policies pass the same kit.
 */
@NullMarked
package io.flexsched.testkit;

import org.jspecify.annotations.NullMarked;
