package dev.basalt.exec;

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
 * Keeps the dependencies between basalt-exec's packages one way (STYLE.md, "dependencies flow one
 * way"): reads the module's sources, takes every reference to a {@code dev.basalt.exec} type
 * outside comments (imports and fully qualified names), and looks for strongly connected packages
 * (Tarjan's algorithm). A cycle fails the test unless it lies within {@link #KNOWN_CYCLES}.
 */
class PackageCycleTest {

  /**
   * Cycles that exist and are being removed elsewhere; a new cycle, or one that grows beyond these
   * packages, fails. Remove an entry once its cycle is gone.
   */
  private static final List<Set<String>> KNOWN_CYCLES =
      List.of(
          Set.of("dev.basalt.exec.memory", "dev.basalt.exec.operator", "dev.basalt.exec.profile"));

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(dev\\.basalt\\.exec(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @Test
  void execPackagesHaveNoNewImportCycle() {
    Map<String, Set<String>> dependencies = packageDependencies();
    assertThat(dependencies)
        .containsKeys("dev.basalt.exec.function", "dev.basalt.exec.function.cast");
    List<Set<String>> unexpected = new ArrayList<>();
    for (Set<String> cycle : cycles(dependencies)) {
      if (KNOWN_CYCLES.stream().noneMatch(known -> known.containsAll(cycle))) {
        unexpected.add(cycle);
      }
    }
    assertThat(unexpected).as("package cycles in basalt-exec").isEmpty();
  }

  @Test
  void functionRegistryImportsNoFunctionFamily() {
    Set<String> registryDependencies =
        packageDependencies().getOrDefault("dev.basalt.exec.function", Set.of());
    assertThat(registryDependencies)
        .noneMatch(dependency -> dependency.startsWith("dev.basalt.exec.function."));
  }

  private static Map<String, Set<String>> packageDependencies() {
    Map<String, Set<String>> dependencies = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
        String text = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
        Matcher packageName = PACKAGE.matcher(text);
        if (!packageName.find()) {
          continue;
        }
        String from = packageName.group(1);
        Set<String> targets = dependencies.computeIfAbsent(from, key -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(text);
        while (reference.find()) {
          if (!reference.group(1).equals(from)) {
            targets.add(reference.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dependencies;
  }

  /** The strongly connected components of more than one package (Tarjan, 1972). */
  private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> lowLink = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> components = new ArrayList<>();
    for (String start : graph.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, graph, index, lowLink, stack, onStack, components);
      }
    }
    return components;
  }

  private static void connect(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> lowLink,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> components) {
    index.put(node, index.size());
    lowLink.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, lowLink, stack, onStack, components);
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
        components.add(component);
      }
    }
  }
}
