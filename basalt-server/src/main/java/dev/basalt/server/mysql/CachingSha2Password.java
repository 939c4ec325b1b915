package dev.basalt.server.mysql;

import dev.basalt.meta.catalog.Passwords;
import dev.basalt.server.tls.RsaKeyPairFile;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;

/**
 * The server side of MySQL 8's {@code caching_sha2_password}: one instance per server, shared by
 * all its connections (thread safe).
 *
 * <p><b>Fast authentication.</b> The client answers the 20-byte scramble with {@code SHA256(pw) XOR
 * SHA256(SHA256(SHA256(pw)) || scramble)}. The server can check that only if it knows {@code
 * SHA256(SHA256(pw))}, which it does not store: it keeps it in this in-memory cache after a
 * successful full authentication. An entry is used only while the user's stored hash is the one it
 * was made for, so ALTER USER / SET PASSWORD / DROP USER invalidate it without any hook; a restart
 * empties the cache, as FLUSH PRIVILEGES would in MySQL.
 *
 * <p><b>Full authentication.</b> Without a cache entry the server asks for the password itself
 * ({@link #PERFORM_FULL_AUTHENTICATION}): over TLS the client sends it in clear; over plain TCP it
 * encrypts {@code (password || NUL) XOR scramble} with the server's RSA public key, which it either
 * has (a configured key file) or requests ({@link #REQUEST_PUBLIC_KEY}) when allowed to (Connector
 * /J's {@code allowPublicKeyRetrieval=true}). The RSA key pair is made at first use and kept in the
 * data directory ({@link RsaKeyPairFile}), so it stays the same across restarts. OAEP (SHA-1, MGF1)
 * is MySQL 8's padding; PKCS#1 v1.5 is accepted too, because Connector/J uses it with servers
 * announcing a version before 8.0.5 (Basalt announces Doris's 5.7.99).
 */
final class CachingSha2Password {
  /** The plugin's name in the protocol. */
  static final String PLUGIN = Passwords.CACHING_SHA2_PLUGIN;

  /** AuthMoreData status: the scramble checked against the cache, OK follows. */
  static final byte FAST_AUTH_SUCCESS = 3;

  /** AuthMoreData status: the client must send its password (in clear over TLS, else RSA). */
  static final byte PERFORM_FULL_AUTHENTICATION = 4;

  /** The client's request for the server's RSA public key. */
  static final byte REQUEST_PUBLIC_KEY = 2;

  /** The longest password a full authentication accepts, in bytes. */
  private static final int MAX_PASSWORD_BYTES = 1024;

  private static final int RSA_KEY_BITS = 2048;

  private record CacheEntry(byte[] storedHash, byte[] doubleSha256) {}

  private final ConcurrentHashMap<String, CacheEntry> cache = new ConcurrentHashMap<>();
  private final RsaKeyPairFile keys;

  /** With a key pair in memory only, made at first use. */
  CachingSha2Password() {
    this(RsaKeyPairFile.inMemory());
  }

  /** With the key pair of {@code keys} (a data directory's, kept across restarts). */
  CachingSha2Password(RsaKeyPairFile keys) {
    this.keys = keys;
  }

  /**
   * Whether {@code token} proves {@code user} knows the password of {@code storedHash}, using the
   * cache; false (do a full authentication) when there is no entry for that hash.
   */
  boolean fastAuthenticate(String user, byte[] storedHash, byte[] scramble, byte[] token) {
    CacheEntry entry = cache.get(user);
    if (entry == null || !Arrays.equals(entry.storedHash, storedHash) || token.length != 32) {
      return false;
    }
    byte[] mask = sha256(entry.doubleSha256, scramble);
    byte[] candidate = new byte[32];
    for (int i = 0; i < 32; i++) {
      candidate[i] = (byte) (token[i] ^ mask[i]);
    }
    return MessageDigest.isEqual(sha256(candidate), entry.doubleSha256);
  }

  /** Records a password that passed full authentication, for the user's next fast login. */
  void remember(String user, byte[] storedHash, String password) {
    byte[] doubleSha256 = sha256(sha256(password.getBytes(StandardCharsets.UTF_8)));
    cache.put(user, new CacheEntry(storedHash.clone(), doubleSha256));
  }

  /** The RSA public key in PEM, as the client expects it after {@link #REQUEST_PUBLIC_KEY}. */
  String publicKeyPem() {
    String body =
        Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(keyPair().getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * The password in an RSA-encrypted full-authentication reply, or {@code null} when it does not
   * decrypt (a wrong key, garbage, or a clear password sent without TLS).
   */
  String decryptPassword(byte[] encrypted, byte[] scramble) {
    byte[] plain = decrypt("RSA/ECB/OAEPWithSHA-1AndMGF1Padding", encrypted);
    if (plain == null) {
      plain = decrypt("RSA/ECB/PKCS1Padding", encrypted);
    }
    if (plain == null) {
      return null;
    }
    for (int i = 0; i < plain.length; i++) {
      plain[i] ^= scramble[i % scramble.length];
    }
    int end = 0;
    while (end < plain.length && plain[end] != 0) {
      end++;
    }
    return new String(plain, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * The password in a full-authentication reply sent over TLS: the text up to its NUL, or {@code
   * null} when it is longer than {@link #MAX_PASSWORD_BYTES}.
   */
  static String clearPassword(byte[] reply) {
    int end = 0;
    while (end < reply.length && reply[end] != 0) {
      end++;
    }
    return end > MAX_PASSWORD_BYTES ? null : new String(reply, 0, end, StandardCharsets.UTF_8);
  }

  /** What a client sends for {@code password} and {@code scramble}; empty for no password. */
  static byte[] clientToken(byte[] scramble, String password) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    byte[] once = sha256(password.getBytes(StandardCharsets.UTF_8));
    byte[] mask = sha256(sha256(once), scramble);
    for (int i = 0; i < once.length; i++) {
      once[i] ^= mask[i];
    }
    return once;
  }

  private byte[] decrypt(String transformation, byte[] encrypted) {
    if (encrypted.length != RSA_KEY_BITS / 8) {
      return null;
    }
    try {
      Cipher cipher = Cipher.getInstance(transformation);
      cipher.init(Cipher.DECRYPT_MODE, keyPair().getPrivate());
      byte[] plain = cipher.doFinal(encrypted);
      return plain.length > MAX_PASSWORD_BYTES ? null : plain;
    } catch (GeneralSecurityException notForThisKey) {
      return null;
    }
  }

  private KeyPair keyPair() {
    return keys.keyPair();
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java runtime has SHA-256", impossible);
    }
  }
}
