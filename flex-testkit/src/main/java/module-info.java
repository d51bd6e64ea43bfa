/** Flex's conformance kits: the SPI's contract, run against your policy or hardware from your own tests. */
module io.flexsched.testkit {
  requires transitive io.flexsched.core;
  requires static transitive org.jspecify;

  exports io.flexsched.testkit;
}
