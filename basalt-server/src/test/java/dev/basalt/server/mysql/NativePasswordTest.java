package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NativePasswordTest {

  @Test
  void storedHashIsDoubleSha1AsMysqlPrintsIt() {
    // MySQL: SELECT PASSWORD('secret') = '*14E65567ABDB5135D0CFD9A70B3032C179A49EE7'
    assertThat(HexFormat.of().withUpperCase().formatHex(NativePassword.storedHash("secret")))
        .isEqualTo("14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
    assertThat(NativePassword.storedHash("")).isEmpty();
  }

  @Test
  void tokenOfTheRightPasswordVerifiesAndOthersDoNot() {
    byte[] scramble = NativePassword.newScramble();
    byte[] stored = NativePassword.storedHash("secret");
    assertThat(
            NativePassword.verify(scramble, NativePassword.clientToken(scramble, "secret"), stored))
        .isTrue();
    assertThat(
            NativePassword.verify(scramble, NativePassword.clientToken(scramble, "Secret"), stored))
        .isFalse();
    assertThat(
            NativePassword.verify(
                NativePassword.newScramble(),
                NativePassword.clientToken(scramble, "secret"),
                stored))
        .isFalse();
    assertThat(NativePassword.verify(scramble, new byte[0], stored)).isFalse();
  }

  @Test
  void emptyPasswordAcceptsOnlyAnEmptyToken() {
    byte[] scramble = NativePassword.newScramble();
    assertThat(NativePassword.verify(scramble, new byte[0], new byte[0])).isTrue();
    assertThat(NativePassword.verify(scramble, new byte[] {0}, new byte[0])).isTrue();
    assertThat(
            NativePassword.verify(scramble, NativePassword.clientToken(scramble, "x"), new byte[0]))
        .isFalse();
  }

  @Test
  void scrambleIsPrintableAndNeverNul() {
    for (int attempt = 0; attempt < 100; attempt++) {
      for (byte b : NativePassword.newScramble()) {
        assertThat((int) b).isBetween(33, 126);
      }
    }
  }
}
