package dev.basalt.server.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * How the crash harness starts its child servers quickly: a class-data-sharing archive (AppCDS)
 * made by the first child at its exit ({@code -XX:+AutoCreateSharedArchive}) and mapped by every
 * later one, so they skip parsing and verifying the server's classes. CDS takes classes from jar
 * files only, so the directories of the test classpath (the modules' {@code target/classes}) are
 * packed into jars once, under {@code directory}. Not thread safe; made once per harness run.
 */
final class ChildJvm {
  private final String classPath;
  private final List<String> options;

  private ChildJvm(String classPath, List<String> options) {
    this.classPath = classPath;
    this.options = options;
  }

  /** The test JVM's classpath with directories packed as jars, and the archive in {@code dir}. */
  static ChildJvm withSharedArchive(Path directory) throws IOException {
    Path jars = Files.createDirectories(directory.resolve("classpath"));
    List<String> entries = new ArrayList<>();
    int index = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar =
            jars.resolve((index++) + "-" + path.getParent().getParent().getFileName() + ".jar");
        pack(path, jar);
        entries.add(jar.toString());
      } else if (Files.isRegularFile(path)) {
        entries.add(entry);
      }
    }
    return new ChildJvm(
        String.join(File.pathSeparator, entries),
        List.of(
            "-XX:SharedArchiveFile=" + directory.resolve("child.jsa"),
            "-XX:+AutoCreateSharedArchive",
            // An archive that cannot be made or mapped is no error: the child starts without it.
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off"));
  }

  /** The child's classpath. */
  String classPath() {
    return classPath;
  }

  /** Options for the child JVM (before its main class). */
  List<String> options() {
    return options;
  }

  private static void pack(Path directory, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(directory)) {
      out.setLevel(Deflater.BEST_SPEED);
      for (Path source : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(directory.relativize(source).toString().replace('\\', '/')));
        Files.copy(source, out);
        out.closeEntry();
      }
    }
  }
}
