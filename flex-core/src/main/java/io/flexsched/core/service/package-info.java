/** The concurrent front's implementation (not exported). */
@NullMarked
package io.flexsched.core.service;

import org.jspecify.annotations.NullMarked;
