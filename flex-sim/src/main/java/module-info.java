/**
 * Flex's simulator and command line: trace loaders, the FGD paper's replay protocol and the
 * time-driven replay, scenario files ({@code flex plan}), reports, and the {@code flex} command.
 * An application built on the public API of {@code io.flexsched.core} only; its replay and trace
 * packages are exported for researchers who drive replays from their own code.
 */
module io.flexsched.sim {
  requires transitive io.flexsched.core;
  requires static org.jspecify;
  requires info.picocli;
  requires org.yaml.snakeyaml;
  requires org.knowm.xchart;
  requires java.desktop;
  // OR-Tools (an automatic module named after its jar) solves flex bound's relaxation; an
  // application that never asks for a bound need not have it.
  requires static ortools.java;

  exports io.flexsched.sim.replay;
  exports io.flexsched.sim.trace;
  exports io.flexsched.sim.plan;

  opens io.flexsched.sim.cli to info.picocli;
}
