package dev.basalt.meta.catalog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How passwords are stored, one format per authentication plugin, told apart by the stored bytes
 * themselves (as MySQL's {@code authentication_string} is):
 *
 * <ul>
 *   <li>{@code mysql_native_password}: SHA1(SHA1(password)), 20 bytes;
 *   <li>{@code caching_sha2_password}: the ASCII text {@code $pbkdf2-sha256$5000$<salt>$<key>}
 *       (base64 salt of 16 random bytes, PBKDF2-HMAC-SHA256 key of 32 bytes). MySQL keeps a salted
 *       SHA-256 crypt here; Basalt chose the JDK's PBKDF2, which is as strong and needs no code of
 *       its own. The protocol never sees it: caching_sha2_password checks a password in full
 *       against it and then caches SHA256(SHA256(password)) in memory for fast logins.
 * </ul>
 *
 * An empty password is stored as an empty hash, whatever the plugin. Thread safe.
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

  /** The name of MySQL's SHA-1 challenge-response plugin, Basalt's default for new accounts. */
  public static final String NATIVE_PLUGIN = "mysql_native_password";

  /** The name of MySQL 8's SHA-256 plugin. */
  public static final String CACHING_SHA2_PLUGIN = "caching_sha2_password";

  private static final String SHA2_PREFIX = "$pbkdf2-sha256$";
  private static final int SHA2_ITERATIONS = 5000;
  private static final int SHA2_SALT_BYTES = 16;
  private static final int SHA2_KEY_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The stored form of {@code plaintext} for {@code plugin} (one of the two plugin names). */
  public static byte[] hash(String plugin, String plaintext) {
    return CACHING_SHA2_PLUGIN.equals(plugin) ? cachingSha2(plaintext) : doubleSha1(plaintext);
  }

  /** The {@code caching_sha2_password} stored form of {@code plaintext}, or empty for "". */
  public static byte[] cachingSha2(String plaintext) {
    if (plaintext == null || plaintext.isEmpty()) {
      return new byte[0];
    }
    byte[] salt = new byte[SHA2_SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    String text =
        SHA2_PREFIX
            + SHA2_ITERATIONS
            + "$"
            + base64.encodeToString(salt)
            + "$"
            + base64.encodeToString(pbkdf2(plaintext, salt, SHA2_ITERATIONS));
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The plugin a stored hash belongs to: {@link #CACHING_SHA2_PLUGIN} for the PBKDF2 text, else
   * {@link #NATIVE_PLUGIN} (also for the empty password, which either plugin accepts).
   */
  public static String plugin(byte[] stored) {
    return isCachingSha2(stored) ? CACHING_SHA2_PLUGIN : NATIVE_PLUGIN;
  }

  private static boolean isCachingSha2(byte[] stored) {
    if (stored.length <= SHA2_PREFIX.length()) {
      return false;
    }
    for (int i = 0; i < SHA2_PREFIX.length(); i++) {
      if (stored[i] != SHA2_PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code plaintext} is the password {@code stored} was made from, in either format
   * (compared in constant time). HTTP Basic authentication and caching_sha2_password's full
   * authentication check passwords this way.
   */
  public static boolean matches(byte[] stored, String plaintext) {
    if (!isCachingSha2(stored)) {
      return MessageDigest.isEqual(stored, doubleSha1(plaintext));
    }
    if (plaintext.isEmpty()) {
      return false;
    }
    String[] parts = new String(stored, StandardCharsets.US_ASCII).split("\\$");
    // "", "pbkdf2-sha256", iterations, salt, key
    if (parts.length != 5) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[2]);
      byte[] salt = Base64.getDecoder().decode(parts[3]);
      byte[] key = Base64.getDecoder().decode(parts[4]);
      if (iterations < 1 || iterations > 1_000_000) {
        return false;
      }
      return MessageDigest.isEqual(key, pbkdf2(plaintext, salt, iterations));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static byte[] pbkdf2(String plaintext, byte[] salt, int iterations) {
    try {
      SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      return factory
          .generateSecret(new PBEKeySpec(plaintext.toCharArray(), salt, iterations, SHA2_KEY_BITS))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has PBKDF2WithHmacSHA256", e);
    }
  }

  static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
  }
}
