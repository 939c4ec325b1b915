package dev.basalt.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Walks a running server's data directory while its garbage collector deletes files and
 * directories: a walk that meets one vanishing starts again.
 */
final class DataDirectoryWalk {
  private DataDirectoryWalk() {}

  /** {@code reader} applied to every path under {@code root}, from a walk no deletion cut short. */
  static <T> T read(Path root, Function<Stream<Path>, T> reader) throws IOException {
    while (true) {
      try (Stream<Path> files = Files.walk(root)) {
        return reader.apply(files);
      } catch (UncheckedIOException | NoSuchFileException vanished) {
        if (!(vanished instanceof NoSuchFileException)
            && !(vanished.getCause() instanceof NoSuchFileException)) {
          throw vanished;
        }
      }
    }
  }
}
