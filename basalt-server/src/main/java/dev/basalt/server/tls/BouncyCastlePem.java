package dev.basalt.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What {@link ServerCertificate} needs Bouncy Castle for: PEM files the JDK's parsers do not read
 * (PKCS#1 and EC key pairs, certificates with text around them) and making and writing a
 * self-signed certificate. Kept apart so that a start whose key files the JDK reads never loads a
 * Bouncy Castle class: its jars are signed, and the first class loaded from one makes the JVM check
 * the jar's signature and digest its manifest (about a tenth of a second of CPU at start;
 * docs/benchmarks.md, "Restart to first query: ..."). Stateless and thread safe.
 */
final class BouncyCastlePem {
  private BouncyCastlePem() {}

  /** The certificate of a PEM file, or an {@link IOException} when it holds none. */
  static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IOException(file + " does not hold a PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(holder);
    }
  }

  /** The unencrypted private key of a PEM file (PKCS#8, PKCS#1 or an EC key pair). */
  static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (object) {
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
        case null, default ->
            throw new IOException(file + " does not hold an unencrypted PEM private key");
      };
    }
  }

  /**
   * A certificate for {@code pair}'s public key signed with its private key (SHA256withECDSA), for
   * {@code localhost}, {@code hostName} and {@code 127.0.0.1}, valid from {@code notBefore} to
   * {@code notAfter}.
   */
  static X509Certificate selfSign(
      KeyPair pair, String hostName, Instant notBefore, Instant notAfter) throws IOException {
    try {
      X500Name subject = new X500Name("CN=Basalt self-signed certificate");
      GeneralNames alternativeNames =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.dNSName, hostName),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              });
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, new SecureRandom()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate a self-signed certificate: " + e, e);
    }
  }

  /** PEM text of a private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  static String pem(PrivateKey key) throws IOException {
    return pemObject(new JcaPKCS8Generator(key, null));
  }

  /** PEM text of a certificate. */
  static String pem(X509Certificate certificate) throws IOException {
    return pemObject(certificate);
  }

  private static String pemObject(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
