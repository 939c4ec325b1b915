package dev.basalt.storage.fs;

import java.util.List;

/**
 * Where Basalt keeps its files: a tree of immutable files named by relative paths such as {@code
 * data/db1/t1/p0/tablet3/seg_0001.bsg} ({@code /}-separated, no leading {@code /}, no {@code .} or
 * {@code ..} segments, no empty segments). Local disk now ({@link LocalFileSystem}), object storage
 * later; code above the storage layer never touches {@code java.nio.file} directly.
 *
 * <p>Files are written once through {@link #create}: the bytes become visible at their path, all at
 * once and durably, only when {@link OutputFile#commit()} returns; a writer that is closed without
 * commit leaves nothing behind. Readers therefore never see a partly written file.
 *
 * <p>Errors: an I/O failure is a {@code BasaltException} with {@code ErrorCode.IO_ERROR} naming the
 * path; a malformed path is an {@link IllegalArgumentException} (a caller bug).
 *
 * <p>Implementations are thread safe; the objects they return are not (see their own docs).
 */
public interface FileSystem {

  /**
   * Starts writing a new file at {@code path}; parent directories are created as needed. An
   * existing file at that path is replaced when the new one is committed. The caller owns the
   * returned writer and must close it.
   */
  OutputFile create(String path);

  /**
   * Starts writing a new file that nothing reads until a later durable commit elsewhere names it (a
   * segment file: the catalog commit that references it publishes it). The file may be written
   * straight under {@code path}, so {@link OutputFile#commit()} need not rename it and can force
   * the file and its directory entry at once; a crash before the commit leaves a partial file that
   * no commit references, for the garbage collector. Until its commit such a file may show in
   * {@link #list}; callers keep it out of collection themselves (the loads' in-flight registry).
   * {@code path} must not exist. The default is {@link #create}.
   */
  default OutputFile createUnpublished(String path) {
    return create(path);
  }

  /**
   * Forces committed files and their directory entries to stable storage: files written with {@link
   * OutputFile#commitUnsynced()} are durable when this returns. A missing file is an {@code
   * IO_ERROR}. The default does nothing (a file system whose commits are durable by themselves).
   */
  default void sync(java.util.Collection<String> paths) {}

  /**
   * Opens an existing file for random-access reads. The caller owns the returned file and must
   * close it. A missing file is an {@code IO_ERROR}.
   */
  InputFile open(String path);

  /** Whether a committed file exists at {@code path}. */
  boolean exists(String path);

  /**
   * Every committed file below {@code directory} (recursively; {@code ""} is the root), sorted by
   * path. Files still being written are not listed. A missing directory yields an empty list.
   */
  List<FileEntry> list(String directory);

  /** Deletes the file at {@code path}; returns whether it existed. Durable when it returns. */
  boolean delete(String path);

  /** Deletes every file below {@code directory} (recursively) and the directory itself. */
  void deleteAll(String directory);

  /**
   * Deletes the empty directories below {@code directory} (not {@code directory} itself), deepest
   * first, so a directory emptied by deleting its empty children goes too; only those whose path
   * {@code mayDelete} accepts. A directory that gains a file meanwhile is kept. File systems
   * without real directories (object stores) have nothing to delete.
   *
   * @return how many directories were deleted
   */
  int deleteEmptyDirectories(String directory, java.util.function.Predicate<String> mayDelete);

  /**
   * Deletes the temporary files of unfinished writes below {@code directory} (a file being written
   * through {@link #create} before its commit) whose path, relative to the root as in {@link
   * #list}, {@code mayDelete} accepts. Such a file belongs to a writer that is still writing or
   * that died; the caller decides which are old enough to be the latter. File systems whose writes
   * leave no temporary files have nothing to delete.
   *
   * @return how many files were deleted
   */
  default int deleteTemporaryFiles(
      String directory, java.util.function.Predicate<String> mayDelete) {
    return 0;
  }

  /**
   * Moves a committed file to {@code target}, replacing any file there, atomically and durably:
   * afterwards exactly one of the two names refers to the bytes, even after a crash.
   */
  void rename(String source, String target);
}
