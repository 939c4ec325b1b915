package dev.basalt.load;

import dev.basalt.storage.fs.FileEntry;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.InputFile;
import dev.basalt.storage.fs.OutputFile;
import java.util.List;
import java.util.function.Predicate;

/** A file system that forwards every call to another; tests override the calls they observe. */
public class ForwardingFileSystem implements FileSystem {
  private final FileSystem delegate;

  public ForwardingFileSystem(FileSystem delegate) {
    this.delegate = delegate;
  }

  @Override
  public OutputFile create(String path) {
    return delegate.create(path);
  }

  @Override
  public InputFile open(String path) {
    return delegate.open(path);
  }

  @Override
  public boolean exists(String path) {
    return delegate.exists(path);
  }

  @Override
  public List<FileEntry> list(String directory) {
    return delegate.list(directory);
  }

  @Override
  public boolean delete(String path) {
    return delegate.delete(path);
  }

  @Override
  public void deleteAll(String directory) {
    delegate.deleteAll(directory);
  }

  @Override
  public int deleteEmptyDirectories(String directory, Predicate<String> mayDelete) {
    return delegate.deleteEmptyDirectories(directory, mayDelete);
  }

  @Override
  public int deleteTemporaryFiles(String directory, Predicate<String> mayDelete) {
    return delegate.deleteTemporaryFiles(directory, mayDelete);
  }

  @Override
  public void rename(String source, String target) {
    delegate.rename(source, target);
  }

  @Override
  public void sync(java.util.Collection<String> paths) {
    delegate.sync(paths);
  }
}
