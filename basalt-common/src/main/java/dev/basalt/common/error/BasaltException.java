package dev.basalt.common.error;

/**
 * An error a user can cause, carrying an {@link ErrorCode} that the front doors turn into a MySQL
 * ERR packet or an HTTP error body. Throw this, never a bare {@link RuntimeException}.
 */
public class BasaltException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public BasaltException(ErrorCode code, Object... args) {
    super(code.format(args));
    this.code = code;
  }

  public BasaltException(Throwable cause, ErrorCode code, Object... args) {
    super(code.format(args), cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
