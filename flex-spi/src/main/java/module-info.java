/** Flex's extension contracts: what a policy or a hardware vendor implements. */
module io.flexsched.spi {
  requires transitive io.flexsched.model;
  requires static transitive org.jspecify;

  exports io.flexsched.spi;
}
