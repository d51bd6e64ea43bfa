package io.flexsched.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Scheduler;
import io.flexsched.model.Task;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.testkit.PolicyConformance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The public surface, as a consumer on the module path sees it: read from the library modules'
 * descriptors (exported packages only), then the public types in them. Top-level types are what
 * the limit counts (as Caffeine's "about twenty public types" does); nested ones are listed too.
 */
class PublicApiTest {
  private static final int MAX_TYPES = 40;
  private static final int MAX_HELLO_TYPES = 5;

  /** The library modules' descriptors and their exported public types, by module name. */
  private static TreeMap<String, List<Class<?>>> surface(Class<?>... anchors) {
    var out = new TreeMap<String, List<Class<?>>>();
    for (Class<?> anchor : anchors) {
      Path location;
      try {
        location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
      ModuleReference ref = ModuleFinder.of(location).findAll().iterator().next();
      ModuleDescriptor d = ref.descriptor();
      Set<String> exported = new TreeSet<>();
      for (ModuleDescriptor.Exports e : d.exports()) {
        if (!e.isQualified()) {
          exported.add(e.source());
        }
      }
      var types = new ArrayList<Class<?>>();
      try (ModuleReader reader = ref.open()) {
        for (String resource : reader.list().sorted().toList()) {
          if (!resource.endsWith(".class") || resource.endsWith("module-info.class") || resource.endsWith("package-info.class")) {
            continue;
          }
          String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
          if (exported.contains(name.substring(0, name.lastIndexOf('.')))) {
            Class<?> c = Class.forName(name, false, anchor.getClassLoader());
            if (Modifier.isPublic(c.getModifiers()) && isReachable(c)) {
              types.add(c);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      out.put(d.name() + " " + exported, types);
    }
    return out;
  }

  /** Public all the way out: a public member of a public member of a public type. */
  private static boolean isReachable(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static List<Class<?>> topLevel(List<Class<?>> types) {
    return types.stream().filter(c -> c.getEnclosingClass() == null).toList();
  }

  @Test
  void theLibraryExportsAtMostFortyPublicTypes() {
    var library = surface(Task.class, ScoringPolicy.class, Scheduler.class);
    int top = 0;
    int nested = 0;
    var report = new StringBuilder();
    for (var e : library.entrySet()) {
      List<Class<?>> types = topLevel(e.getValue());
      top += types.size();
      nested += e.getValue().size() - types.size();
      report.append(e.getKey()).append(": ").append(types.size()).append(' ')
          .append(types.stream().map(Class::getSimpleName).toList()).append('\n');
    }
    System.out.printf("Public API: %d top-level types (%d nested)%n%s", top, nested, report);
    assertThat(top).as("top-level public types exported by flex-model, flex-spi and flex-core:%n%s", report)
        .isLessThanOrEqualTo(MAX_TYPES);
  }

  @Test
  void onlyApiPackagesAreExported() {
    var modules = surface(Task.class, ScoringPolicy.class, Scheduler.class, PolicyConformance.class).keySet();
    assertThat(modules).containsExactly(
        "io.flexsched.core [io.flexsched.core]",
        "io.flexsched.model [io.flexsched.model]",
        "io.flexsched.spi [io.flexsched.spi]",
        "io.flexsched.testkit [io.flexsched.testkit]");
  }

  @Test
  void helloWorldTouchesAtMostFiveTypes() {
    var exported = new TreeSet<String>();
    for (List<Class<?>> types : surface(Task.class, ScoringPolicy.class, Scheduler.class).values()) {
      topLevel(types).forEach(c -> exported.add(c.getSimpleName()));
    }
    var used = new TreeSet<String>();
    Matcher m = Pattern.compile("\\b[A-Z][A-Za-z0-9]*\\b").matcher(code(Readme.block("hello-example")));
    while (m.find()) {
      if (exported.contains(m.group())) {
        used.add(m.group());
      }
    }
    assertThat(used).as("Flex types the README's hello world names").isNotEmpty().hasSizeLessThanOrEqualTo(MAX_HELLO_TYPES);
  }

  /** The lines as code alone: comments and string literals cut out. */
  private static String code(List<String> lines) {
    var b = new StringBuilder();
    for (String line : lines) {
      b.append(line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "")).append('\n');
    }
    return b.toString();
  }
}
