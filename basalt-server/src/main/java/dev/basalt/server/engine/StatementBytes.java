package dev.basalt.server.engine;

/**
 * Where a statement's text lies in the UTF-8 bytes the client sent for it (a COM_QUERY packet), so
 * that its literals can be read in place ({@link LiteralRows#of(byte[], int, int)}) instead of from
 * the text encoded again.
 *
 * @param text the whole query text, decoded from {@code utf8[utf8Start ..]}
 * @param statementStart where the statement starts in {@code text} (after leading whitespace)
 * @param utf8 the bytes; read only, never kept beyond the statement
 * @param utf8Start where {@code text}'s bytes start in {@code utf8}
 */
record StatementBytes(String text, int statementStart, byte[] utf8, int utf8Start) {
  /**
   * The literal rows of {@code source}, which starts at {@code sourceOffset} of the statement (as
   * the parser reports it); null when they are not all plain literals (see {@link LiteralRows#of}).
   */
  LiteralRows literalRows(String source, int sourceOffset) {
    int start = statementStart + sourceOffset;
    return LiteralRows.of(utf8, byteIndex(start), byteIndex(start + source.length()));
  }

  /** The index in {@code utf8} of the character at {@code charIndex} of {@code text}. */
  private int byteIndex(int charIndex) {
    if (utf8.length - utf8Start == text.length()) {
      return utf8Start + charIndex; // ASCII: one byte per character
    }
    int bytes = 0;
    for (int i = 0; i < charIndex; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4; // with the low surrogate that follows: one supplementary character
        i++;
      } else {
        bytes += 3;
      }
    }
    return utf8Start + bytes;
  }
}
