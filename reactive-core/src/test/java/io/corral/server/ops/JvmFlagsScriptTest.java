package io.corral.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.server.compat.CompatHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/corral-server --jvm-flags} on an install whose class archive is newer than its jars (so no training
 * run): the archive is mapped in place only where the training run found the JVM takes it so.
 */
class JvmFlagsScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("../bin/corral-server")
            .normalize();
    private static final List<String> IN_PLACE =
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    private Path root;
    private Path archive;

    @BeforeEach
    void install() throws Exception {
        root = CompatHarness.newTempDir("corral-flags-");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(SCRIPT, bin.resolve("corral-server"));
        Path target = Files.createDirectories(root.resolve("reactive-core/target"));
        Path jar = Files.createFile(target.resolve("corral-server.jar"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        archive = Files.createFile(target.resolve("corral-server.jsa"));
        FileTime built = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(jar, built);
        Files.setLastModifiedTime(lib, built);
    }

    @AfterEach
    void remove() {
        CompatHarness.deleteRecursively(root);
    }

    @Test
    void mapsTheArchiveInPlaceWhereTheTrainingRunFoundItCould() throws Exception {
        Files.createFile(archive.resolveSibling("corral-server.jsa.in-place"));
        List<String> flags = jvmFlags(Map.of());
        assertThat(flags).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(flags).containsSubsequence(IN_PLACE);
    }

    @Test
    void relocatesWhenAskedTo() throws Exception {
        Files.createFile(archive.resolveSibling("corral-server.jsa.in-place"));
        List<String> flags = jvmFlags(Map.of("CORRAL_CDS_RELOCATE", "1"));
        assertThat(flags).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(flags).doesNotContainAnyElementsOf(IN_PLACE);
    }

    @Test
    void relocatesWithoutTheTrainingRunsWord() throws Exception {
        List<String> flags = jvmFlags(Map.of());
        assertThat(flags).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(flags).doesNotContainAnyElementsOf(IN_PLACE);
    }

    private List<String> jvmFlags(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin/corral-server").toString(), "--jvm-flags")
                .redirectError(root.resolve("stderr").toFile());
        builder.environment().remove("CORRAL_CDS");
        builder.environment().remove("CORRAL_CDS_RELOCATE");
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(root.resolve("stderr"))).isZero();
        return out.lines().toList();
    }
}
