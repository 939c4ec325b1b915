package dev.basalt.meta.store;

/**
 * A {@link WriteBatch} precondition did not hold when the batch was committed, usually because
 * another writer (another front end sharing the store) changed the same keys first. Nothing of the
 * batch was written; the caller may reload and retry. Not a user error: callers that cannot retry
 * turn it into a {@code BasaltException}.
 */
public class MetaStoreConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetaStoreConflictException(String message) {
    super(message);
  }

  public MetaStoreConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
