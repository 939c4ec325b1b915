package dev.basalt.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key files of the TLS certificate: the self-signed pair Basalt writes is read back by the
 * JDK's parsers; a key with text around its PEM armor (as openssl exports it) is read through
 * Bouncy Castle ({@link BouncyCastlePem}); a key of another pair and a truncated certificate are
 * refused with messages naming the file.
 */
class ServerCertificateTest {
  @TempDir Path directory;

  @Test
  void theSelfSignedPairIsReadBackAsWritten() throws IOException {
    ServerCertificate generated = ServerCertificate.selfSigned(directory);
    ServerCertificate read = ServerCertificate.selfSigned(directory);
    assertThat(read.certificate()).isEqualTo(generated.certificate());
    assertThat(Files.readString(keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aKeyWithTextAroundItIsReadThroughBouncyCastle() throws Exception {
    ServerCertificate generated = ServerCertificate.selfSigned(directory);
    // As openssl pkcs12 exports it: attribute lines before the armor, which the JDK path refuses.
    Path exported = directory.resolve("exported.key");
    Files.writeString(
        exported,
        "Bag Attributes\n    friendlyName: basalt\nKey Attributes: <No Attributes>\n"
            + Files.readString(keyFile()),
        StandardCharsets.US_ASCII);
    ServerCertificate read = ServerCertificate.load(certificateFile(), exported);
    assertThat(read.certificate()).isEqualTo(generated.certificate());
  }

  @Test
  void aKeyOfAnotherPairIsRefused() throws Exception {
    ServerCertificate.selfSigned(directory);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, new SecureRandom());
    Path other = directory.resolve("other.key");
    Files.writeString(
        other,
        "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ServerCertificate.load(certificateFile(), other))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(other.toString())
        .hasMessageContaining("does not hold the private key of the certificate");
  }

  @Test
  void aTruncatedCertificateIsRefusedNamingTheFile() throws Exception {
    ServerCertificate.selfSigned(directory);
    String text = Files.readString(certificateFile());
    Path truncated = directory.resolve("truncated.crt");
    Files.writeString(truncated, text.substring(0, text.length() / 2));
    assertThatThrownBy(() -> ServerCertificate.load(truncated, keyFile()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(truncated.toString());
  }

  private Path certificateFile() {
    return directory
        .resolve(ServerCertificate.DIRECTORY)
        .resolve(ServerCertificate.CERTIFICATE_FILE);
  }

  private Path keyFile() {
    return directory.resolve(ServerCertificate.DIRECTORY).resolve(ServerCertificate.KEY_FILE);
  }
}
