package dev.basalt.server.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The {@code mysql_native_password} scheme: the server stores {@code SHA1(SHA1(password))}; the
 * client proves it knows the password by sending {@code SHA1(password) XOR SHA1(scramble ||
 * SHA1(SHA1(password)))} for the server's random 20-byte scramble. Stateless and thread safe.
 */
public final class NativePassword {
  /** Length of the scramble and of a non-empty token. */
  public static final int SCRAMBLE_LENGTH = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private NativePassword() {}

  /**
   * The value an {@link dev.basalt.server.session.Authenticator} stores for {@code password}:
   * {@code SHA1(SHA1(password))}, or an empty array for the empty password.
   */
  public static byte[] storedHash(String password) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    return sha1(sha1(password.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * What a client sends for {@code password} and {@code scramble} (empty for the empty password).
   */
  public static byte[] clientToken(byte[] scramble, String password) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    byte[] passwordHash = sha1(password.getBytes(StandardCharsets.UTF_8));
    byte[] mask = sha1(scramble, sha1(passwordHash));
    for (int i = 0; i < passwordHash.length; i++) {
      passwordHash[i] ^= mask[i];
    }
    return passwordHash;
  }

  /**
   * Whether {@code token} proves knowledge of the password whose {@link #storedHash} is {@code
   * stored}. An empty stored hash accepts only an empty token (a lone NUL byte, which some clients
   * send for "no password", counts as empty).
   */
  public static boolean verify(byte[] scramble, byte[] token, byte[] stored) {
    boolean emptyToken = token.length == 0 || (token.length == 1 && token[0] == 0);
    if (stored.length == 0) {
      return emptyToken;
    }
    if (token.length != SCRAMBLE_LENGTH || stored.length != SCRAMBLE_LENGTH) {
      return false;
    }
    byte[] mask = sha1(scramble, stored);
    byte[] passwordHash = new byte[SCRAMBLE_LENGTH];
    for (int i = 0; i < SCRAMBLE_LENGTH; i++) {
      passwordHash[i] = (byte) (token[i] ^ mask[i]);
    }
    return MessageDigest.isEqual(sha1(passwordHash), stored);
  }

  /**
   * A fresh random scramble of printable ASCII bytes (never NUL, which clients would take for the
   * end of the string).
   */
  static byte[] newScramble() {
    byte[] scramble = new byte[SCRAMBLE_LENGTH];
    for (int i = 0; i < scramble.length; i++) {
      scramble[i] = (byte) (33 + RANDOM.nextInt(94));
    }
    return scramble;
  }

  private static byte[] sha1(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java runtime has SHA-1", impossible);
    }
  }
}
