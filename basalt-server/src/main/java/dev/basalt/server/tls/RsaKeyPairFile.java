package dev.basalt.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The RSA key pair of {@code caching_sha2_password} (clients encrypt their password with its public
 * key over plain TCP), kept in the data directory's {@code tls/} folder as {@code
 * caching_sha2_private_key.pem} (PKCS#8 PEM, owner-only permissions), so it is the same after a
 * restart and clients that cache the public key (Connector/J's {@code serverRSAPublicKeyFile},
 * MySQL's {@code --server-public-key-path}) keep working, as MySQL keeps {@code private_key.pem} in
 * its data directory.
 *
 * <p>{@link #open} reads an existing file at server start (a damaged one stops the start with a
 * message naming it); a missing one is generated at the first {@link #keyPair()} that needs it, so
 * servers whose clients never ask pay nothing. Thread safe.
 */
public final class RsaKeyPairFile {
  /** The file's name under {@code tls/}. */
  public static final String FILE = "caching_sha2_private_key.pem";

  private static final int KEY_BITS = 2048;
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private final Path file;
  private volatile KeyPair keyPair;

  private RsaKeyPairFile(Path file, KeyPair keyPair) {
    this.file = file;
    this.keyPair = keyPair;
  }

  /**
   * The key pair file of {@code dataDirectory}, read now if it exists.
   *
   * @throws IOException when the file exists but is damaged or holds no 2048-bit RSA key; the
   *     message names the file
   */
  public static RsaKeyPairFile open(Path dataDirectory) throws IOException {
    Path file = dataDirectory.resolve(ServerCertificate.DIRECTORY).resolve(FILE);
    return new RsaKeyPairFile(file, Files.exists(file) ? read(file) : null);
  }

  /** A key pair that lives in memory only (a server without a data directory, tests). */
  public static RsaKeyPairFile inMemory() {
    return new RsaKeyPairFile(null, null);
  }

  /**
   * The key pair, generated and written on first use when there is none yet.
   *
   * @throws UncheckedIOException when a generated pair cannot be written
   */
  public KeyPair keyPair() {
    KeyPair pair = keyPair;
    if (pair == null) {
      synchronized (this) {
        pair = keyPair;
        if (pair == null) {
          pair = generate();
          if (file != null) {
            try {
              write(file, pair);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot write the RSA key pair " + file, e);
            }
          }
          keyPair = pair;
        }
      }
    }
    return pair;
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("every Java runtime has RSA", impossible);
    }
  }

  private static KeyPair read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      throw new IOException(
          "The RSA key file "
              + file
              + " is damaged (no PEM private key); delete it to make a new"
              + " key pair (clients that cached the old public key must then fetch the new one)");
    }
    try {
      byte[] der =
          Base64.getMimeDecoder()
              .decode(text.substring(BEGIN.length(), text.length() - END.length()));
      KeyFactory factory = KeyFactory.getInstance("RSA");
      if (!(factory.generatePrivate(new PKCS8EncodedKeySpec(der))
              instanceof RSAPrivateCrtKey privateKey)
          || privateKey.getModulus().bitLength() != KEY_BITS) {
        throw new IOException("not a " + KEY_BITS + "-bit RSA private key");
      }
      return new KeyPair(
          factory.generatePublic(
              new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent())),
          privateKey);
    } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
      throw new IOException(
          "The RSA key file "
              + file
              + " is damaged ("
              + e.getMessage()
              + "); delete it to make a"
              + " new key pair (clients that cached the old public key must then fetch the new"
              + " one)",
          e);
    }
  }

  /** Temporary file, forced, renamed atomically, directory forced: never half a key. */
  private static void write(Path file, KeyPair pair) throws IOException {
    Files.createDirectories(file.getParent());
    String text =
        BEGIN
            + "\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n"
            + END
            + "\n";
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary);
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // A file system without POSIX permissions: the data directory's own protection applies.
    }
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
