/**
 * Huawei Ascend hardware, written as a vendor would write it: only against {@code io.flexsched.spi}
 * and registered through {@link java.util.ServiceLoader}, with nothing in the engine that knows it.
 */
@NullMarked
package io.flexsched.hardware.ascend;

import org.jspecify.annotations.NullMarked;
