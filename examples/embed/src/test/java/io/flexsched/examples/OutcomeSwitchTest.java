package io.flexsched.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Outcome} is sealed: a {@code switch} over it that names both cases compiles without a
 * default, and one that forgets a case does not. Compiled here with the JDK's own compiler against
 * the built library (on Java 17 to 20 with pattern matching for switch as a preview feature; final
 * since Java 21).
 */
class OutcomeSwitchTest {
  @TempDir
  Path out;

  private static final String BOTH = """
      import io.flexsched.core.Outcome;
      class Describe {
        static String of(Outcome outcome) {
          return switch (outcome) {
            case Outcome.Placed placed -> "placed on " + placed.assignment().node();
            case Outcome.Pending pending -> "pending: " + pending.cause().label();
          };
        }
      }
      """;

  private String compile(String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int feature = Runtime.version().feature();
    var options = new ArrayList<>(List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
        "--release", Integer.toString(feature)));
    if (feature < 21) {
      options.addAll(List.of("--enable-preview", "-Xlint:-preview"));
    }
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Describe.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    var diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null, options, null, List.of(file)).call();
    return ok ? "" : diagnostics.toString();
  }

  @Test
  void aSwitchNamingPlacedAndPendingNeedsNoDefault() throws IOException {
    assertThat(compile(BOTH)).isEmpty();
    assertThat(Files.exists(out.resolve("Describe.class"))).isTrue();
  }

  @Test
  void aSwitchThatForgetsPendingDoesNotCompile() {
    String missing = BOTH.replaceAll("(?m)^.*case Outcome\\.Pending.*\n", "");
    assertThat(missing).isNotEqualTo(BOTH);
    assertThat(compile(missing)).contains("does not cover all possible input values");
  }

  static {
    // The compiler reads the library from the test class path: fail clearly if it is not there.
    if (!System.getProperty("java.class.path").contains("flex-core")) {
      throw new UncheckedIOException(new IOException("flex-core is not on the test class path"));
    }
  }
}
