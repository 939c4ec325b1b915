package dev.basalt.server.engine;

import java.io.IOException;
import java.io.InputStream;

/**
 * MySQL's {@code LINES STARTING BY 'prefix'} over a stream of lines: each line passes from just
 * after the first occurrence of the prefix through its terminator; a line without the prefix is
 * left out whole. Streams with a fixed buffer (a line is never held). Lines are split at every
 * terminator, so a field enclosed in quotes must not hold one. Not thread safe; closes its source.
 */
final class LinePrefixFilter extends InputStream {
  private final InputStream source;
  private final byte[] prefix;
  private final byte[] terminator;
  private final int[] prefixFailure;
  private final int[] terminatorFailure;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;

  /** Whether the current line's prefix has been found (its bytes now pass). */
  private boolean passing;

  /** Bytes of the prefix matched so far in the current line, while not passing. */
  private int prefixMatched;

  /** Bytes of the terminator matched so far (while passing: already passed). */
  private int terminatorMatched;

  LinePrefixFilter(InputStream source, byte[] prefix, byte[] terminator) {
    if (prefix.length == 0 || terminator.length == 0) {
      throw new IllegalArgumentException("prefix and terminator must not be empty");
    }
    this.source = source;
    this.prefix = prefix.clone();
    this.terminator = terminator.clone();
    this.prefixFailure = failure(this.prefix);
    this.terminatorFailure = failure(this.terminator);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int written = 0;
    while (written == 0) {
      if (position == limit) {
        limit = source.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      while (position < limit && written < length) {
        byte b = buffer[position++];
        if (passing) {
          target[offset + written++] = b;
          terminatorMatched = advance(terminator, terminatorFailure, terminatorMatched, b);
          if (terminatorMatched == terminator.length) {
            passing = false;
            prefixMatched = 0;
            terminatorMatched = 0;
          }
        } else {
          terminatorMatched = advance(terminator, terminatorFailure, terminatorMatched, b);
          prefixMatched = advance(prefix, prefixFailure, prefixMatched, b);
          if (terminatorMatched == terminator.length) {
            // The line ended before its prefix: left out.
            prefixMatched = 0;
            terminatorMatched = 0;
          } else if (prefixMatched == prefix.length) {
            passing = true;
            terminatorMatched = 0;
          }
        }
      }
    }
    return written;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** The matched length after {@code b}, given {@code matched} bytes of {@code pattern} so far. */
  private static int advance(byte[] pattern, int[] failure, int matched, byte b) {
    int length = matched == pattern.length ? failure[matched - 1] : matched;
    while (length > 0 && pattern[length] != b) {
      length = failure[length - 1];
    }
    return pattern[length] == b ? length + 1 : 0;
  }

  /** Knuth-Morris-Pratt: for each prefix of {@code pattern}, its longest proper border. */
  private static int[] failure(byte[] pattern) {
    int[] failure = new int[pattern.length];
    int length = 0;
    for (int i = 1; i < pattern.length; i++) {
      while (length > 0 && pattern[i] != pattern[length]) {
        length = failure[length - 1];
      }
      if (pattern[i] == pattern[length]) {
        length++;
      }
      failure[i] = length;
    }
    return failure;
  }
}
