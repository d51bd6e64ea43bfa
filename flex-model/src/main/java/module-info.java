/** Flex's domain model: immutable, validated values with no engine behind them. */
module io.flexsched.model {
  requires static transitive org.jspecify;

  exports io.flexsched.model;
}
