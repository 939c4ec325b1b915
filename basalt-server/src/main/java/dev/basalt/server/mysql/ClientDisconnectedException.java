package dev.basalt.server.mysql;

/** Thrown on a connection's worker when the client went away, to unwind whatever it was doing. */
final class ClientDisconnectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClientDisconnectedException(String message) {
    super(message, null, false, false);
  }
}
