package dev.basalt.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;

/**
 * The certificate and private key both front doors use for TLS: the MySQL protocol's SSL upgrade
 * and HTTPS. Either configured PEM files ({@link #load}) or, by default, a self-signed certificate
 * generated once per data directory and kept in its {@code tls/} folder ({@link #selfSigned}), so
 * that clients which require encryption can connect out of the box. Immutable and thread safe.
 */
public final class ServerCertificate {
  /** Files of the generated certificate, under the data directory. */
  public static final String DIRECTORY = "tls";

  public static final String CERTIFICATE_FILE = "server.crt";
  public static final String KEY_FILE = "server.key";

  private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private ServerCertificate(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  /**
   * Reads a PEM certificate and a PEM private key (PKCS#8 or a PKCS#1/EC key pair) and checks that
   * they belong together. The files stay in the standard PEM format every TLS tool reads; their
   * integrity check is the format's own: the PEM armor (the "magic header"), the DER structure
   * inside it, and the pairing of the key with the certificate's public key (a signature made with
   * the key must verify with the certificate), which a truncated or bit-flipped file fails.
   *
   * @throws IOException when a file cannot be read, is damaged or does not hold what it should, or
   *     the key does not match the certificate; the message names the file
   */
  public static ServerCertificate load(Path certificateFile, Path keyFile) throws IOException {
    ServerCertificate plain = loadWithJdk(certificateFile, keyFile);
    if (plain != null) {
      return plain;
    }
    // Formats the JDK does not read (BouncyCastlePem): its classes load only here.
    X509Certificate certificate;
    try {
      certificate = BouncyCastlePem.readCertificate(certificateFile);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw damaged(certificateFile, "certificate", e);
    }
    PrivateKey key;
    try {
      key = BouncyCastlePem.readPrivateKey(keyFile);
    } catch (IOException | RuntimeException e) {
      throw damaged(keyFile, "private key", e);
    }
    if (!keyMatches(key, certificate)) {
      throw new IOException(
          keyFile
              + " does not hold the private key of the certificate "
              + certificateFile
              + " (damaged, or from another pair)");
    }
    return new ServerCertificate(key, certificate);
  }

  /**
   * {@link #load} of the common case with the JDK's own parsers alone: a PEM certificate and an
   * unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}, what {@link #selfSigned} writes) that belong
   * together. Returns null for anything else, damaged files included, which the Bouncy Castle path
   * then reads or reports. Why: Bouncy Castle's jars are signed, and loading its provider (jar
   * digests checked class by class) was the largest part of a server's start (docs/benchmarks.md,
   * restart to first query).
   */
  private static ServerCertificate loadWithJdk(Path certificateFile, Path keyFile) {
    try {
      X509Certificate certificate;
      try (var input = Files.newInputStream(certificateFile)) {
        certificate =
            (X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(input);
      }
      String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
      String begin = "-----BEGIN PRIVATE KEY-----";
      String end = "-----END PRIVATE KEY-----";
      if (!text.startsWith(begin) || !text.endsWith(end)) {
        return null;
      }
      byte[] der =
          java.util.Base64.getMimeDecoder()
              .decode(text.substring(begin.length(), text.length() - end.length()));
      PrivateKey key =
          java.security.KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
              .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
      return keyMatches(key, certificate) ? new ServerCertificate(key, certificate) : null;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static IOException damaged(Path file, String what, Exception cause) {
    String message = cause.getMessage();
    if (message != null && message.contains(file.toString())) {
      return cause instanceof IOException io ? io : new IOException(message, cause);
    }
    return new IOException(
        "cannot read the " + what + " " + file + " (truncated or damaged?): " + cause, cause);
  }

  /** Whether a signature made with {@code key} verifies with the certificate's public key. */
  private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true; // a key type Basalt cannot test; the TLS handshake will tell
    }
    try {
      byte[] challenge = "basalt key pair check".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The self-signed certificate of a data directory: read from {@code tls/} if it was generated
   * before, otherwise generated (EC P-256, valid ten years, for {@code localhost}, {@code
   * 127.0.0.1} and this machine's name) and written there, the key readable by its owner only.
   */
  public static ServerCertificate selfSigned(Path dataDirectory) throws IOException {
    Path directory = dataDirectory.resolve(DIRECTORY);
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    if (Files.exists(certificateFile) && Files.exists(keyFile)) {
      return load(certificateFile, keyFile);
    }
    Files.createDirectories(directory);
    ServerCertificate generated = generate();
    // Key first, then certificate: a crash in between leaves no certificate, so the next start
    // generates both again rather than pairing a certificate with a missing key.
    writeAtomically(keyFile, BouncyCastlePem.pem(generated.privateKey), true);
    writeAtomically(certificateFile, BouncyCastlePem.pem(generated.certificate), false);
    return generated;
  }

  private static ServerCertificate generate() throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, new SecureRandom());
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate a self-signed certificate: " + e, e);
    }
    Instant now = Instant.now();
    X509Certificate certificate =
        BouncyCastlePem.selfSign(
            pair, hostName(), now.minus(Duration.ofMinutes(5)), now.plus(SELF_SIGNED_VALIDITY));
    return new ServerCertificate(pair.getPrivate(), certificate);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary);
    if (secret) {
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // A file system without POSIX permissions: the data directory's own protection applies.
      }
    }
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
      writer.write(text);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Netty's server context for the MySQL protocol's TLS upgrade (TLS 1.2 and 1.3). */
  public SslContext nettyServerContext() throws SSLException {
    // The JDK's SSLContext wrapped as is: Netty's own server context builder first probes for
    // Bouncy Castle (loading its signed jars), which cost more than the rest of a start.
    try {
      char[] password = new char[0];
      javax.net.ssl.KeyManagerFactory keyManagers =
          javax.net.ssl.KeyManagerFactory.getInstance(
              javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore(password), password);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      return new JdkSslContext(
          context,
          false,
          null,
          IdentityCipherSuiteFilter.INSTANCE,
          ApplicationProtocolConfig.DISABLED,
          ClientAuth.NONE,
          new String[] {"TLSv1.3", "TLSv1.2"},
          false);
    } catch (GeneralSecurityException | IOException e) {
      throw new SSLException("cannot set up TLS with the server certificate: " + e, e);
    }
  }

  /**
   * An in-memory key store holding the key and certificate (for Jetty's HTTPS and the MySQL
   * protocol's key manager). The store is never written anywhere, so its key is wrapped with one
   * round of the password-based cipher instead of PKCS#12's default 10,000 (which cost most of a
   * second of CPU at every start, to wrap and then unwrap the key).
   */
  public KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    store.setEntry(
        "basalt",
        new KeyStore.PrivateKeyEntry(privateKey, new X509Certificate[] {certificate}),
        new KeyStore.PasswordProtection(
            password,
            "PBEWithHmacSHA256AndAES_256",
            new javax.crypto.spec.PBEParameterSpec(salt, 1)));
    return store;
  }
}
