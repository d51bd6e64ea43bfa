package io.flexsched.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.engine.InjectedFault;
import io.flexsched.property.ModelRun.Check;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the engine's test-only accounting bug switched on (a release keeps the device memory it
 * should give back), the tester must fail, shrink the failure to the few operations that show it,
 * and print a regression test that compiles and fails the same way: proof that its checks can
 * fail and that what it prints can be pasted.
 */
class InjectedFaultTest {
  private static final int LENGTH = 1_000;

  @TempDir Path dir;

  /** The first failing seed from 1 up, under {@code config}'s checks, engine assert mode off. */
  private static SeedRun firstFailure(EnumSet<Check> checks) {
    for (long seed = 1; seed <= 50; seed++) {
      ModelRun.Config config = ModelRun.Config.forSeed(seed).withEngineAssert(false).withChecks(checks);
      SeedRun run = SeedRun.of(config, seed, LENGTH);
      if (run.violation() != null) {
        return run;
      }
    }
    throw new AssertionError("50 seeds of " + LENGTH + " operations did not catch the leak with " + checks);
  }

  @Test
  void theTestersOwnChecksCatchTheLeakAndShrinkItToAFewOperations() {
    Counterexample c;
    try (InjectedFault fault = InjectedFault.leakDeviceMemoryOnRelease()) {
      SeedRun failed = firstFailure(EnumSet.allOf(Check.class));
      assertThat(failed.violation().invariant()).isIn("the engine's accounting recomputes", "accounting equals a recomputation",
          "release restores the prior state");
      c = Counterexample.of(failed);
      // Shrunk, it still fails, without it the same operations pass.
      assertThat(new ModelRun(failed.config()).runAll(c.shrunk().operations())).isNotNull();
      System.out.println(c.report());
    }
    assertThat(new ModelRun(c.run().config()).runAll(c.shrunk().operations())).as("without the fault").isNull();
    List<Operation> ops = c.shrunk().operations();
    assertThat(ops.get(0)).isInstanceOf(Operation.AddNode.class);
    if (ops.size() == 2) {
      // A node with a device and a submit: its what-if places the request and rolls it back, a
      // release by undo that leaks too (the generator's stream since issue 17 finds this first).
      assertThat(ops.get(1)).isInstanceOfSatisfying(Operation.Submit.class,
          s -> assertThat(s.request()).anySatisfy(t -> assertThat(t.accelerators().count()).isPositive()));
    } else {
      // A node with a device, a task taking device memory, its release. When the failure kept is
      // the recomputation's (not the release-restores check, which sees a release of the task
      // placed last), one more change between them keeps that other check quiet.
      assertThat(ops).hasSizeBetween(3, 4);
      assertThat(ops.get(1)).isInstanceOfSatisfying(Operation.Place.class,
          p -> assertThat(p.request().get(0).accelerators().count()).isPositive());
      assertThat(ops.get(ops.size() - 1)).isEqualTo(new Operation.Release(((Operation.Place) ops.get(1)).request().get(0).id()));
    }
    assertThat(c.report())
        .contains("Invariant violated: " + c.run().violation().message())
        .contains("seed " + c.run().seed() + " (policy " + c.run().config().policy())
        .contains("shrunk to " + ops.size() + " operations")
        .contains("ModelRun.replay(");
  }

  @Test
  void eachRecomputingCheckCatchesTheLeakAlone() {
    try (InjectedFault fault = InjectedFault.leakDeviceMemoryOnRelease()) {
      assertThat(firstFailure(EnumSet.of(Check.INDEPENDENT_RECOMPUTATION)).violation().invariant())
          .isEqualTo("accounting equals a recomputation");
      assertThat(firstFailure(EnumSet.of(Check.ENGINE_RECOMPUTATION)).violation().invariant())
          .isEqualTo("the engine's accounting recomputes"); // verifyAccounting, outside assert mode
      assertThat(firstFailure(EnumSet.of(Check.RELEASE_RESTORES)).violation().invariant())
          .isEqualTo("release restores the prior state");
      // A release rolled back takes the device memory a second time.
      assertThat(firstFailure(EnumSet.of(Check.ROLLBACK_RESTORES)).violation().invariant())
          .isEqualTo("a rollback restores the state at its begin");
    }
  }

  @Test
  void inAssertModeTheEngineItselfReportsTheLeak() {
    try (InjectedFault fault = InjectedFault.leakDeviceMemoryOnRelease()) {
      SeedRun run = SeedRun.of(ModelRun.Config.forSeed(1).withEngineAssert(true), 1, LENGTH);
      assertThat(run.violation()).isNotNull();
      assertThat(run.violation().invariant()).isEqualTo("the engine's accounting recomputes");
      assertThat(run.violation().message()).contains("memoryFree is").contains("but recomputes to");
    }
  }

  /** The printed test method, pasted into a class, compiles and fails while the fault is on. */
  @Test
  void thePrintedRegressionTestCompilesAndReproducesTheFailure() throws Throwable {
    Counterexample c;
    try (InjectedFault fault = InjectedFault.leakDeviceMemoryOnRelease()) {
      c = Counterexample.of(firstFailure(EnumSet.allOf(Check.class)));
    }
    var source = new StringBuilder("package pasted;\n\n");
    for (String i : JavaSource.IMPORTS) {
      source.append("import ").append(i).append(";\n");
    }
    source.append("import org.junit.jupiter.api.Test;\n\npublic class PastedTest {\n").append(c.testMethod()).append("}\n");
    Class<?> pasted = compile("pasted.PastedTest", source.toString());
    Object test = pasted.getConstructor().newInstance();
    Method method = pasted.getDeclaredMethods()[0];
    method.setAccessible(true);
    try (InjectedFault fault = InjectedFault.leakDeviceMemoryOnRelease()) {
      assertThatThrownBy(() -> invoke(method, test)).isInstanceOf(AssertionError.class)
          .hasMessageContaining("the engine's accounting recomputes"); // flex.assert is on in tests
    }
    invoke(method, test); // passes without the fault
  }

  private static void invoke(Method m, Object target) throws Throwable {
    try {
      m.invoke(target);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Class<?> compile(String name, String source) throws IOException, ClassNotFoundException {
    Path src = dir.resolve(name.replace('.', '/') + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path out = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    var errors = new java.io.ByteArrayOutputStream();
    int code = javac.run(null, null, errors, "-d", out.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
    assertThat(code).as("javac of\n%s\n%s", source, errors).isZero();
    var loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    return loader.loadClass(name);
  }
}
