package dev.basalt.load;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Segment files that loads and compactions are writing or have written but not yet committed: no
 * committed version references them yet, and the garbage collector must not take them for orphans.
 * A path is added before its file is created and removed once the catalog commit that references it
 * returned, or once the file was deleted on abort. Thread safe.
 */
public final class FilesInFlight {
  private final Set<String> paths = ConcurrentHashMap.newKeySet();

  /** Marks {@code path} as being written; call before creating the file. */
  public void add(String path) {
    paths.add(path);
  }

  /** Forgets {@code path}: it is committed (referenced by the catalog) or deleted. */
  public void remove(String path) {
    paths.remove(path);
  }

  /** Whether {@code path} is being written or awaits its commit. */
  public boolean contains(String path) {
    return paths.contains(path);
  }

  /** A copy of the paths in flight now. */
  public Set<String> snapshot() {
    return Set.copyOf(paths);
  }
}
