package dev.basalt.server.mysql;

/**
 * A client packet that does not follow the protocol; the connection answers ERR 1835 (or closes).
 */
final class MalformedPacketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedPacketException(String message) {
    super(message);
  }
}
