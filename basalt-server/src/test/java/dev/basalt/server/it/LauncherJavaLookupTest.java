package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JDK lookup ({@code scripts/find-java.sh}, shared by {@code ./basalt} and {@code
 * .ci/run}) against fake JDKs: directories with a {@code release} file or a {@code bin/java} that
 * prints a version, so the test does not depend on what is installed.
 */
class LauncherJavaLookupTest {

  @TempDir Path temporaryDirectory;

  private static Path repositoryRoot() {
    Path directory = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    while (directory != null && !Files.exists(directory.resolve("scripts/find-java.sh"))) {
      directory = directory.getParent();
    }
    if (directory == null) {
      throw new AssertionError(
          "scripts/find-java.sh not found above " + System.getProperty("basedir"));
    }
    return directory;
  }

  /** A fake JDK home whose release file says {@code version}; bin/java and bin/javac exist. */
  private Path fakeJdk(String name, String version, boolean withReleaseFile) throws IOException {
    Path home = temporaryDirectory.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    if (withReleaseFile) {
      Files.writeString(
          home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
    }
    String javaScript = "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2025-09-16' >&2\n";
    for (String tool : List.of("java", "javac")) {
      Path executable = home.resolve("bin").resolve(tool);
      Files.writeString(executable, javaScript);
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return home;
  }

  private record Lookup(int exitCode, String found, String err) {}

  /** Runs the lookup in a clean environment: only the given variables, PATH as given. */
  private Lookup lookup(Map<String, String> environment) throws Exception {
    Path script = repositoryRoot().resolve("scripts/find-java.sh");
    ProcessBuilder builder =
        new ProcessBuilder(
            "/bin/bash",
            "-c",
            "source \"$1\" && basalt_find_java && printf '%s' \"$BASALT_FOUND_JAVA_HOME\"",
            "lookup",
            script.toString());
    builder.environment().clear();
    builder.environment().put("BASALT_JVM_ROOT", temporaryDirectory.resolve("jvm").toString());
    builder.environment().put("PATH", temporaryDirectory.resolve("empty-path").toString());
    builder.environment().putAll(environment);
    Path err = temporaryDirectory.resolve("err.txt");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Lookup(process.exitValue(), out, Files.readString(err));
  }

  @Test
  void explicitBasaltJavaHomeWins() throws Exception {
    Path chosen = fakeJdk("chosen", "25.0.1", true);
    Path other = fakeJdk("jvm/temurin-25-jdk-amd64", "25.0.2", true);
    Lookup lookup =
        lookup(Map.of("BASALT_JAVA_HOME", chosen.toString(), "JAVA_HOME", other.toString()));
    assertThat(lookup.exitCode()).isZero();
    assertThat(lookup.found()).isEqualTo(chosen.toString());
  }

  @Test
  void tooOldBasaltJavaHomeIsAnErrorNotSkipped() throws Exception {
    Path old = fakeJdk("old", "17.0.15", true);
    fakeJdk("jvm/temurin-25-jdk-amd64", "25", true);
    Lookup lookup = lookup(Map.of("BASALT_JAVA_HOME", old.toString()));
    assertThat(lookup.exitCode()).isEqualTo(1);
    assertThat(lookup.err()).contains("BASALT_JAVA_HOME=" + old).contains("not a JDK 25");
  }

  @Test
  void javaHomeIsUsedOnlyWhenItIs25OrNewer() throws Exception {
    Path newer = fakeJdk("jdk-26", "26", true);
    assertThat(lookup(Map.of("JAVA_HOME", newer.toString())).found()).isEqualTo(newer.toString());

    Path old = fakeJdk("jdk-17", "17.0.15", true);
    Path system = fakeJdk("jvm/temurin-25-jdk-amd64", "25.0.1", true);
    Lookup lookup = lookup(Map.of("JAVA_HOME", old.toString()));
    assertThat(lookup.exitCode()).isZero();
    assertThat(lookup.found()).isEqualTo(system.toString());
  }

  @Test
  void versionIsReadFromJavaWhenThereIsNoReleaseFile() throws Exception {
    Path system = fakeJdk("jvm/openjdk-25", "25", false);
    assertThat(lookup(Map.of()).found()).isEqualTo(system.toString());
  }

  @Test
  void javaOnPathIsTheLastResort() throws Exception {
    Path onPath = fakeJdk("path-jdk", "25.0.1", true);
    Lookup lookup = lookup(Map.of("PATH", onPath.resolve("bin").toString()));
    assertThat(lookup.exitCode()).isZero();
    assertThat(lookup.found()).isEqualTo(onPath.toString());
  }

  @Test
  void noJdk25ExplainsHowToInstallOne() throws Exception {
    Path old = fakeJdk("jvm/java-17-openjdk-amd64", "17.0.15", true);
    Path java8 = fakeJdk("jdk8", "1.8.0_402", true);
    Lookup lookup =
        lookup(Map.of("JAVA_HOME", java8.toString(), "PATH", old.resolve("bin").toString()));
    assertThat(lookup.exitCode()).isEqualTo(1);
    assertThat(lookup.found()).isEmpty();
    assertThat(lookup.err())
        .contains("no JDK 25 found")
        .contains("apt-get install temurin-25-jdk")
        .contains("adoptium");
  }
}
