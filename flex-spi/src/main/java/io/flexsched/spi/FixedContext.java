package io.flexsched.spi;

/** {@link DecisionContext#of}: one decision of a seeded engine, as a value. */
record FixedContext(long seed, long sequence) implements DecisionContext {}
