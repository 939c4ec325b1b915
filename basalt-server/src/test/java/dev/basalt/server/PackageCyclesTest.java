package dev.basalt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of Basalt's main sources (every module) depend on each other without cycles, except
 * for the import circles already known, which may shrink but not grow: a package that joins one of
 * them, or a new circle, fails this test. Dependencies are read from the sources: imports (static
 * ones too) and fully qualified names in code.
 */
class PackageCyclesTest {
  /**
   * Circles that exist today, each to be broken by its own change (STYLE.md names the function
   * registry's); a listed circle that disappears is fine.
   */
  private static final List<Set<String>> KNOWN_CIRCLES =
      List.of(
          Set.of("dev.basalt.common.type", "dev.basalt.common.vector"),
          Set.of("dev.basalt.storage.index", "dev.basalt.storage.segment"),
          Set.of("dev.basalt.server", "dev.basalt.server.engine", "dev.basalt.server.http"),
          Set.of("dev.basalt.bench.load", "dev.basalt.bench.tpch"));

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(?:static\\s+)?(dev\\.basalt\\.[\\w.]+);");
  private static final Pattern QUALIFIED =
      Pattern.compile("\\b(dev\\.basalt(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  @Test
  void packagesFormADagExceptForTheKnownCircles() {
    Map<String, Set<String>> dependencies = dependencies();
    assertThat(dependencies).containsKeys("dev.basalt.exec.memory", "dev.basalt.exec.profile");
    List<Set<String>> circles = circles(dependencies);
    for (Set<String> circle : circles) {
      assertThat(KNOWN_CIRCLES)
          .as("a new import circle between packages: %s", describe(circle, dependencies))
          .anySatisfy(known -> assertThat(known).containsAll(circle));
    }
  }

  @Test
  void memoryAccountingProfilesAndOperatorsDependOneWay() {
    Map<String, Set<String>> dependencies = dependencies();
    // exec.profile wraps operators and counts their memory: it may see exec.operator and
    // exec.memory, but memory accounting knows neither (MemoryUsageListener is its own interface).
    assertThat(dependencies.get("dev.basalt.exec.memory"))
        .doesNotContain("dev.basalt.exec.profile", "dev.basalt.exec.operator");
    assertThat(dependencies.get("dev.basalt.exec.operator"))
        .doesNotContain("dev.basalt.exec.profile");
    for (Set<String> circle : circles(dependencies)) {
      assertThat(circle)
          .doesNotContain(
              "dev.basalt.exec.memory", "dev.basalt.exec.profile", "dev.basalt.exec.operator");
    }
  }

  @Test
  void theFunctionRegistryKnowsNoFunctionFamily() {
    // Casts and the scalar and aggregate families register themselves (the registry's
    // CastResolver): the registry's package imports none of them.
    assertThat(dependencies().get("dev.basalt.exec.function"))
        .noneMatch(dependency -> dependency.startsWith("dev.basalt.exec.function."));
  }

  /** Comments, whose {@code @link}s name packages without depending on them. */
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  /** Per package of the main sources, the other Basalt packages it uses. */
  private static Map<String, Set<String>> dependencies() {
    Path root = Path.of("").toAbsolutePath().getParent();
    Map<String, Set<String>> dependencies = new TreeMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(path -> path.getFileName().toString().startsWith("basalt-")).toList()) {
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(sources)) {
          for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
            String text = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
            Matcher declared = PACKAGE.matcher(text);
            if (!declared.find()) {
              continue;
            }
            String own = declared.group(1);
            Set<String> uses = dependencies.computeIfAbsent(own, key -> new TreeSet<>());
            Matcher imported = IMPORT.matcher(text);
            while (imported.find()) {
              uses.add(packageOf(imported.group(1)));
            }
            Matcher qualified = QUALIFIED.matcher(text);
            while (qualified.find()) {
              uses.add(qualified.group(1));
            }
            uses.remove(own);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(dependencies).as("sources under %s", root).hasSizeGreaterThan(20);
    return dependencies;
  }

  /** The package of a qualified class or member name: its parts before the first capitalized. */
  private static String packageOf(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  /** The strongly connected components of more than one package (Tarjan's algorithm). */
  private static List<Set<String>> circles(Map<String, Set<String>> dependencies) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> lowLink = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> circles = new ArrayList<>();
    for (String start : dependencies.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, dependencies, index, lowLink, stack, onStack, circles);
      }
    }
    return circles;
  }

  private static void connect(
      String node,
      Map<String, Set<String>> dependencies,
      Map<String, Integer> index,
      Map<String, Integer> lowLink,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> circles) {
    index.put(node, index.size());
    lowLink.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : dependencies.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, dependencies, index, lowLink, stack, onStack, circles);
        lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
      } else if (onStack.contains(next)) {
        lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
      }
    }
    if (lowLink.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        circles.add(component);
      }
    }
  }

  /** The circle's packages, each with the circle members it uses. */
  private static String describe(Set<String> circle, Map<String, Set<String>> dependencies) {
    StringBuilder text = new StringBuilder();
    for (String member : circle) {
      Set<String> uses = new TreeSet<>(dependencies.get(member));
      uses.retainAll(circle);
      text.append("\n  ").append(member).append(" -> ").append(uses);
    }
    return text.toString();
  }
}
