package dev.basalt.meta.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Password hashing as MySQL's {@code mysql_native_password} stores it: SHA1(SHA1(password)). An
 * empty password is stored as an empty hash. Thread safe.
 */
public final class Passwords {
  private Passwords() {}

  /** SHA1(SHA1(plaintext UTF-8)), or an empty array for an empty password. */
  public static byte[] doubleSha1(String plaintext) {
    if (plaintext == null || plaintext.isEmpty()) {
      return new byte[0];
    }
    MessageDigest sha1 = sha1();
    byte[] once = sha1.digest(plaintext.getBytes(StandardCharsets.UTF_8));
    return sha1.digest(once);
  }

  /**
   * Parses MySQL's textual hash form {@code *<40 hex digits>} (as in {@code IDENTIFIED BY PASSWORD
   * '*...'}); {@code ""} is no password.
   *
   * @throws IllegalArgumentException when the text has another form
   */
  public static byte[] parseHashText(String text) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    if (text.length() != 41 || text.charAt(0) != '*') {
      throw new IllegalArgumentException(
          "a password hash is '*' followed by 40 hexadecimal digits");
    }
    return HexFormat.of().parseHex(text.substring(1));
  }

  /** The textual form {@code *<40 upper-case hex digits>}, or "" for no password. */
  public static String hashText(byte[] hash) {
    return hash.length == 0 ? "" : "*" + HexFormat.of().withUpperCase().formatHex(hash);
  }

  static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
  }
}
