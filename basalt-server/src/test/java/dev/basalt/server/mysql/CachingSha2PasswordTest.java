package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.meta.catalog.Passwords;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class CachingSha2PasswordTest {
  private final CachingSha2Password plugin = new CachingSha2Password();

  @Test
  void fastPathNeedsACacheEntryForTheCurrentHash() {
    byte[] stored = Passwords.cachingSha2("pw");
    byte[] scramble = NativePassword.newScramble();
    byte[] token = CachingSha2Password.clientToken(scramble, "pw");
    assertThat(plugin.fastAuthenticate("u", stored, scramble, token)).isFalse();

    plugin.remember("u", stored, "pw");
    assertThat(plugin.fastAuthenticate("u", stored, scramble, token)).isTrue();
    assertThat(
            plugin.fastAuthenticate(
                "u", stored, scramble, CachingSha2Password.clientToken(scramble, "pW")))
        .isFalse();
    assertThat(
            plugin.fastAuthenticate(
                "u", stored, NativePassword.newScramble(), token)) // another connection's nonce
        .isFalse();
    // A new password (new stored hash) makes the entry useless until the next full login.
    assertThat(plugin.fastAuthenticate("u", Passwords.cachingSha2("pw"), scramble, token))
        .isFalse();
  }

  @Test
  void rsaEncryptedPasswordDecryptsWithEitherPadding() throws Exception {
    String pem = plugin.publicKeyPem();
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    byte[] scramble = NativePassword.newScramble();
    for (String padding : new String[] {"OAEPWithSHA-1AndMGF1Padding", "PKCS1Padding"}) {
      byte[] plain = "pässword\0".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < plain.length; i++) {
        plain[i] ^= scramble[i % scramble.length];
      }
      Cipher cipher = Cipher.getInstance("RSA/ECB/" + padding);
      cipher.init(Cipher.ENCRYPT_MODE, key);
      assertThat(plugin.decryptPassword(cipher.doFinal(plain), scramble)).isEqualTo("pässword");
    }
    assertThat(plugin.decryptPassword("clear\0".getBytes(StandardCharsets.UTF_8), scramble))
        .isNull();
    assertThat(plugin.decryptPassword(new byte[256], scramble)).isNull();
  }

  @Test
  void storedHashesTellTheirPlugin() {
    byte[] sha2 = Passwords.cachingSha2("secret");
    assertThat(Passwords.plugin(sha2)).isEqualTo("caching_sha2_password");
    assertThat(Passwords.matches(sha2, "secret")).isTrue();
    assertThat(Passwords.matches(sha2, "Secret")).isFalse();
    assertThat(Passwords.matches(sha2, "")).isFalse();
    assertThat(Passwords.cachingSha2("secret")).isNotEqualTo(sha2); // salted
    byte[] sha1 = Passwords.doubleSha1("secret");
    assertThat(Passwords.plugin(sha1)).isEqualTo("mysql_native_password");
    assertThat(Passwords.matches(sha1, "secret")).isTrue();
    assertThat(Passwords.matches(new byte[0], "")).isTrue();
  }
}
