package dev.basalt.storage.fs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link FileSystem} held in memory, for tests in any module: fast, and it lets a test read and
 * replace a file's raw bytes ({@link #bytes}, {@link #replaceBytes}) to simulate corruption.
 * Nothing is durable, by design. Thread safe (every operation holds the instance lock).
 */
public final class InMemoryFileSystem implements FileSystem {
  private final TreeMap<String, byte[]> files = new TreeMap<>();
  private long commits;

  /** A copy of the committed bytes at {@code path}. */
  public synchronized byte[] bytes(String path) {
    byte[] contents = files.get(FilePaths.checkFile(path));
    if (contents == null) {
      throw FilePaths.ioError("no such file", path, null);
    }
    return contents.clone();
  }

  /** Replaces (or creates) the file at {@code path} with a copy of {@code contents}. */
  public synchronized void replaceBytes(String path, byte[] contents) {
    files.put(FilePaths.checkFile(path), contents.clone());
  }

  /** How many files have been committed. */
  public synchronized long commitCount() {
    return commits;
  }

  @Override
  public OutputFile create(String path) {
    String checked = FilePaths.checkFile(path);
    return new OutputFile() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      private boolean done;

      @Override
      public String path() {
        return checked;
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        if (done) {
          throw new IllegalStateException("file '" + checked + "' is already committed or closed");
        }
        buffer.write(bytes, offset, length);
      }

      @Override
      public long position() {
        return buffer.size();
      }

      @Override
      public void commit() {
        if (done) {
          throw new IllegalStateException("file '" + checked + "' is already committed or closed");
        }
        done = true;
        synchronized (InMemoryFileSystem.this) {
          files.put(checked, buffer.toByteArray());
          commits++;
        }
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  @Override
  public InputFile open(String path) {
    byte[] contents;
    String checked = FilePaths.checkFile(path);
    synchronized (this) {
      contents = files.get(checked);
    }
    if (contents == null) {
      throw FilePaths.ioError("no such file", checked, null);
    }
    return new InputFile() {
      @Override
      public String path() {
        return checked;
      }

      @Override
      public long length() {
        return contents.length;
      }

      @Override
      public void readFully(long position, byte[] buffer, int offset, int length) {
        if (position < 0 || length < 0 || position > contents.length - length) {
          throw FilePaths.pastEnd(checked, position, length, contents.length);
        }
        System.arraycopy(contents, (int) position, buffer, offset, length);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public synchronized boolean exists(String path) {
    return files.containsKey(FilePaths.checkFile(path));
  }

  @Override
  public synchronized List<FileEntry> list(String directory) {
    String prefix = prefixOf(directory);
    List<FileEntry> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : files.tailMap(prefix, true).entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      entries.add(new FileEntry(entry.getKey(), entry.getValue().length));
    }
    return entries;
  }

  private static String prefixOf(String directory) {
    String checked = FilePaths.checkDirectory(directory);
    return checked.isEmpty() ? "" : checked + "/";
  }

  @Override
  public synchronized boolean delete(String path) {
    return files.remove(FilePaths.checkFile(path)) != null;
  }

  @Override
  public synchronized void deleteAll(String directory) {
    String prefix = prefixOf(directory);
    files.keySet().removeIf(path -> path.startsWith(prefix));
  }

  @Override
  public int deleteEmptyDirectories(
      String directory, java.util.function.Predicate<String> mayDelete) {
    // Directories exist here only as prefixes of file paths: none is ever empty.
    return 0;
  }

  @Override
  public synchronized void rename(String source, String target) {
    byte[] contents = files.remove(FilePaths.checkFile(source));
    if (contents == null) {
      throw FilePaths.ioError("no such file", source, null);
    }
    files.put(FilePaths.checkFile(target), contents);
  }
}
