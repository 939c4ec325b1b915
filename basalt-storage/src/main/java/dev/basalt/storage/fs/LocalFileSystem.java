package dev.basalt.storage.fs;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A {@link FileSystem} on a local directory, with the durability rules of POSIX file systems
 * spelled out: a new file is written under a hidden temporary name next to its target ({@code
 * .<name>.inprogress-<uuid>}), {@link FileChannel#force(boolean) forced}, renamed atomically onto
 * the target, and then the directory is forced so the rename itself survives a crash. Directories
 * created on the way are made durable in their parents the same way. Deletes and renames force the
 * directories they change.
 *
 * <p>Thread safe. Counts of file and directory syncs are kept so tests (and metrics) can check that
 * durability calls happen.
 */
public final class LocalFileSystem implements FileSystem {
  private static final int WRITE_BUFFER_SIZE = 64 * 1024;

  private final Path root;
  private final AtomicLong fileSyncs = new AtomicLong();
  private final AtomicLong directorySyncs = new AtomicLong();

  /** Uses {@code root} as the directory all paths are relative to, creating it if needed. */
  public LocalFileSystem(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot create data directory", this.root.toString(), e);
    }
  }

  public Path root() {
    return root;
  }

  /** How many times file contents have been forced to stable storage. */
  public long fileSyncCount() {
    return fileSyncs.get();
  }

  /** How many times a directory has been forced to stable storage. */
  public long directorySyncCount() {
    return directorySyncs.get();
  }

  private Path resolve(String path) {
    return path.isEmpty() ? root : root.resolve(path);
  }

  @Override
  public OutputFile create(String path) {
    String checked = FilePaths.checkFile(path);
    Path target = resolve(checked);
    createDirectories(target.getParent(), checked);
    Path temporary =
        target.resolveSibling(
            "." + target.getFileName() + FilePaths.IN_PROGRESS_MARKER + UUID.randomUUID());
    try {
      FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new LocalOutputFile(checked, target, temporary, channel);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot create", checked, e);
    }
  }

  /**
   * Writes straight under {@code path} (no temporary name); {@link OutputFile#commit()} forces the
   * file's bytes and its directory entry concurrently, one round of device flushes instead of the
   * three of {@link #create} (file, rename, directory) on the path of every acknowledged load.
   */
  @Override
  public OutputFile createUnpublished(String path) {
    String checked = FilePaths.checkFile(path);
    Path target = resolve(checked);
    createDirectories(target.getParent(), checked);
    try {
      FileChannel channel =
          FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new LocalOutputFile(checked, target, null, channel);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot create", checked, e);
    }
  }

  @Override
  public InputFile open(String path) {
    String checked = FilePaths.checkFile(path);
    try {
      FileChannel channel = FileChannel.open(resolve(checked), StandardOpenOption.READ);
      return new LocalInputFile(checked, channel, channel.size());
    } catch (NoSuchFileException e) {
      throw FilePaths.ioError("no such file", checked, null);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot open", checked, e);
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.isRegularFile(resolve(FilePaths.checkFile(path)));
  }

  @Override
  public List<FileEntry> list(String directory) {
    String checked = FilePaths.checkDirectory(directory);
    Path start = resolve(checked);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<FileEntry> entries = new ArrayList<>();
    try {
      walkFiles(
          start,
          (file, size) -> {
            if (!file.getFileName().toString().contains(FilePaths.IN_PROGRESS_MARKER)) {
              entries.add(new FileEntry(relative(file), size));
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw FilePaths.ioError("cannot list", checked, e);
    }
    entries.sort(Comparator.comparing(FileEntry::path));
    return entries;
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  @Override
  public boolean delete(String path) {
    String checked = FilePaths.checkFile(path);
    Path file = resolve(checked);
    try {
      boolean existed = Files.deleteIfExists(file);
      if (existed) {
        syncDirectory(file.getParent());
      }
      return existed;
    } catch (IOException e) {
      throw FilePaths.ioError("cannot delete", checked, e);
    }
  }

  @Override
  public void deleteAll(String directory) {
    String checked = FilePaths.checkDirectory(directory);
    Path start = resolve(checked);
    if (!Files.exists(start)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(start)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException | UncheckedIOException e) {
      throw FilePaths.ioError("cannot list", checked, e);
    }
    try {
      for (Path path : paths) {
        if (!path.equals(root)) {
          Files.deleteIfExists(path);
        }
      }
      syncDirectory(start.equals(root) ? root : start.getParent());
    } catch (IOException e) {
      throw FilePaths.ioError("cannot delete", checked, e);
    }
  }

  @Override
  public int deleteEmptyDirectories(
      String directory, java.util.function.Predicate<String> mayDelete) {
    String checked = FilePaths.checkDirectory(directory);
    Path start = resolve(checked);
    if (!Files.isDirectory(start)) {
      return 0;
    }
    List<Path> directories = new ArrayList<>();
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) {
              if (!path.equals(start)) {
                directories.add(path);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure)
                throws IOException {
              if (failure instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw failure;
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw FilePaths.ioError("cannot list", checked, e);
    }
    directories.sort(Comparator.reverseOrder());
    int deleted = 0;
    for (Path candidate : directories) {
      if (!mayDelete.test(relative(candidate))) {
        continue;
      }
      try (Stream<Path> entries = Files.list(candidate)) {
        if (entries.findAny().isPresent()) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      try {
        // Fails (and keeps the directory) if a file arrived since the check.
        Files.delete(candidate);
        syncDirectory(candidate.getParent());
        deleted++;
      } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
        // Someone wrote into it or removed it meanwhile: keep going.
      } catch (IOException e) {
        throw FilePaths.ioError("cannot delete directory", relative(candidate), e);
      }
    }
    return deleted;
  }

  @Override
  public void rename(String source, String target) {
    String checkedSource = FilePaths.checkFile(source);
    String checkedTarget = FilePaths.checkFile(target);
    Path from = resolve(checkedSource);
    Path to = resolve(checkedTarget);
    if (!Files.isRegularFile(from)) {
      throw FilePaths.ioError("no such file", checkedSource, null);
    }
    createDirectories(to.getParent(), checkedTarget);
    try {
      FaultPoints.hit(FaultPoint.RENAME_BEFORE);
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FaultPoints.hit(FaultPoint.RENAME_AFTER);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot rename '" + checkedSource + "' to", checkedTarget, e);
    }
    syncDirectory(to.getParent());
    if (!from.getParent().equals(to.getParent())) {
      syncDirectory(from.getParent());
    }
  }

  /**
   * Deletes temporary files left by writers that never committed (for example because the process
   * was killed); call at startup before anything writes. Returns how many were deleted.
   */
  public int deleteAbandonedTemporaryFiles() {
    return deleteTemporaryFiles(root, path -> true);
  }

  @Override
  public int deleteTemporaryFiles(
      String directory, java.util.function.Predicate<String> mayDelete) {
    Path start = resolve(FilePaths.checkDirectory(directory));
    return Files.isDirectory(start) ? deleteTemporaryFiles(start, mayDelete) : 0;
  }

  private int deleteTemporaryFiles(Path start, java.util.function.Predicate<String> mayDelete) {
    int[] deleted = {0};
    try {
      walkFiles(
          start,
          (file, size) -> {
            if (file.getFileName().toString().contains(FilePaths.IN_PROGRESS_MARKER)
                && mayDelete.test(relative(file))
                && Files.deleteIfExists(file)) {
              deleted[0]++;
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw FilePaths.ioError("cannot clean temporary files in", start.toString(), e);
    }
    return deleted[0];
  }

  /** What {@link #walkFiles} does with each regular file and its size. */
  @FunctionalInterface
  private interface FileVisit {
    void visit(Path file, long size) throws IOException;
  }

  /**
   * Visits the regular files below {@code start}. Writers publish (rename) and the garbage
   * collector deletes files while we walk: an entry that vanished between being listed and being
   * looked at is simply not there.
   */
  private static void walkFiles(Path start, FileVisit visit) throws IOException {
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            if (attributes.isRegularFile()) {
              visit.visit(file, attributes.size());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }
        });
  }

  /** Creates {@code directory} and missing ancestors, syncing each parent that gained an entry. */
  private void createDirectories(Path directory, String forPath) {
    if (Files.isDirectory(directory)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path current = directory;
        current != null && !Files.isDirectory(current);
        current = current.getParent()) {
      missing.add(current);
    }
    try {
      for (int i = missing.size() - 1; i >= 0; i--) {
        Path created = missing.get(i);
        try {
          Files.createDirectory(created);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(created)) {
            throw e;
          }
        }
        syncDirectory(created.getParent());
      }
    } catch (IOException e) {
      throw FilePaths.ioError("cannot create the directory of", forPath, e);
    }
  }

  /**
   * Forces every file and each distinct directory holding one at the same time (one round of device
   * flushes for the lot, as {@link LocalOutputFile#commit()} does for one file).
   */
  @Override
  public void sync(java.util.Collection<String> paths) {
    List<Runnable> forces = new ArrayList<>();
    java.util.Set<Path> directories = new java.util.LinkedHashSet<>();
    for (String path : paths) {
      Path file = resolve(FilePaths.checkFile(path));
      directories.add(file.getParent());
      forces.add(() -> syncFile(file));
    }
    for (Path directory : directories) {
      forces.add(() -> syncDirectory(directory));
    }
    List<Thread> threads = new ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    for (int i = 1; i < forces.size(); i++) {
      Runnable force = forces.get(i);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      force.run();
                    } catch (RuntimeException e) {
                      synchronized (failure) {
                        failure[0] = failure[0] == null ? e : failure[0];
                      }
                    }
                  }));
    }
    RuntimeException own = null;
    try {
      if (!forces.isEmpty()) {
        forces.get(0).run();
      }
    } catch (RuntimeException e) {
      own = e;
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (failure) {
      RuntimeException first = own != null ? own : failure[0];
      if (first != null) {
        throw first;
      }
    }
  }

  private void syncFile(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FaultPoints.hit(FaultPoint.FILE_FSYNC_BEFORE);
      channel.force(true);
      FaultPoints.hit(FaultPoint.FILE_FSYNC_AFTER);
      fileSyncs.incrementAndGet();
    } catch (NoSuchFileException e) {
      throw FilePaths.ioError("no such file", relative(file), null);
    } catch (IOException e) {
      throw FilePaths.ioError("cannot sync", relative(file), e);
    }
  }

  private void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      FaultPoints.hit(FaultPoint.DIRECTORY_FSYNC_BEFORE);
      channel.force(true);
      FaultPoints.hit(FaultPoint.DIRECTORY_FSYNC_AFTER);
      directorySyncs.incrementAndGet();
    } catch (IOException e) {
      throw FilePaths.ioError("cannot sync directory", relative(directory), e);
    }
  }

  /**
   * A file being written: under a temporary name renamed onto the target at commit, or (when {@code
   * temporary} is null, {@link #createUnpublished}) straight under the target.
   */
  private final class LocalOutputFile implements OutputFile {
    private final String path;
    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_SIZE);
    private long position;
    private boolean committed;
    private boolean closed;

    LocalOutputFile(String path, Path target, Path temporary, FileChannel channel) {
      this.path = path;
      this.target = target;
      this.temporary = temporary;
      this.channel = channel;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      checkWritable();
      try {
        while (length > 0) {
          if (!buffer.hasRemaining()) {
            flushBuffer();
          }
          if (buffer.position() == 0 && length >= buffer.capacity()) {
            ByteBuffer direct = ByteBuffer.wrap(bytes, offset, length);
            while (direct.hasRemaining()) {
              channel.write(direct);
            }
            position += length;
            return;
          }
          int chunk = Math.min(length, buffer.remaining());
          buffer.put(bytes, offset, chunk);
          position += chunk;
          offset += chunk;
          length -= chunk;
        }
      } catch (IOException e) {
        throw FilePaths.ioError("cannot write", path, e);
      }
    }

    private void flushBuffer() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    private void checkWritable() {
      if (committed || closed) {
        throw new IllegalStateException(
            "file '" + path + "' is already " + (committed ? "committed" : "closed"));
      }
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void commitUnsynced() {
      if (temporary != null) {
        commit();
        return;
      }
      checkWritable();
      try {
        flushBuffer();
        channel.close();
      } catch (IOException e) {
        throw FilePaths.ioError("cannot commit", path, e);
      }
      committed = true;
    }

    @Override
    public void commit() {
      checkWritable();
      if (temporary == null) {
        commitInPlace();
        return;
      }
      try {
        flushBuffer();
        FaultPoints.hit(FaultPoint.FILE_FSYNC_BEFORE);
        channel.force(true);
        FaultPoints.hit(FaultPoint.FILE_FSYNC_AFTER);
        fileSyncs.incrementAndGet();
        channel.close();
        FaultPoints.hit(FaultPoint.RENAME_BEFORE);
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FaultPoints.hit(FaultPoint.RENAME_AFTER);
      } catch (IOException e) {
        throw FilePaths.ioError("cannot commit", path, e);
      }
      committed = true;
      syncDirectory(target.getParent());
    }

    /**
     * Forces the bytes (this thread) and the directory entry (a virtual thread) at the same time:
     * both must be durable before anything may name the file, and neither needs the other first.
     */
    private void commitInPlace() {
      Thread directorySync;
      RuntimeException[] directoryFailure = new RuntimeException[1];
      try {
        flushBuffer();
        directorySync =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        syncDirectory(target.getParent());
                      } catch (RuntimeException e) {
                        directoryFailure[0] = e;
                      }
                    });
      } catch (IOException e) {
        throw FilePaths.ioError("cannot commit", path, e);
      }
      RuntimeException failure = null;
      try {
        FaultPoints.hit(FaultPoint.FILE_FSYNC_BEFORE);
        channel.force(true);
        FaultPoints.hit(FaultPoint.FILE_FSYNC_AFTER);
        fileSyncs.incrementAndGet();
        channel.close();
      } catch (IOException e) {
        failure = FilePaths.ioError("cannot commit", path, e);
      }
      boolean interrupted = false;
      while (true) {
        try {
          directorySync.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure == null) {
        failure = directoryFailure[0];
      }
      if (failure != null) {
        throw failure;
      }
      committed = true;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (committed) {
        return;
      }
      try {
        channel.close();
        Files.deleteIfExists(temporary == null ? target : temporary);
      } catch (IOException e) {
        throw FilePaths.ioError("cannot discard the partial file for", path, e);
      }
    }
  }

  private static final class LocalInputFile implements InputFile {
    private final String path;
    private final FileChannel channel;
    private final long length;

    LocalInputFile(String path, FileChannel channel, long length) {
      this.path = path;
      this.channel = channel;
      this.length = length;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) {
      if (position < 0 || length < 0 || position > this.length - length) {
        throw FilePaths.pastEnd(path, position, length, this.length);
      }
      ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
      try {
        long at = position;
        while (target.hasRemaining()) {
          int read = channel.read(target, at);
          if (read < 0) {
            throw FilePaths.pastEnd(path, position, length, at);
          }
          at += read;
        }
      } catch (IOException e) {
        throw FilePaths.ioError("cannot read", path, e);
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        throw new BasaltException(
            e, dev.basalt.common.error.ErrorCode.IO_ERROR, "cannot close '" + path + "': " + e);
      }
    }
  }
}
