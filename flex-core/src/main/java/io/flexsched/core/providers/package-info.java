/** The extensions {@link java.util.ServiceLoader} finds, by name, and the hardware an engine knows (not exported). */
@NullMarked
package io.flexsched.core.providers;

import org.jspecify.annotations.NullMarked;
