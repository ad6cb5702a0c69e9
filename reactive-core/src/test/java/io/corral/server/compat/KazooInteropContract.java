package io.corral.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * kazoo, the Python client, against the server (issue 11): digest auth with CREATOR_ALL_ACL (whose auth id kazoo sends
 * as a null string), Lock, Election, data and children watches, transactions. Needs Debian's python3-kazoo, which
 * .ci/run installs; skipped where it is missing.
 */
public abstract class KazooInteropContract extends AbstractCompatContract {

    /** A python3 that can import kazoo: Debian's first (a pyenv python does not see its packages). */
    static Optional<String> pythonWithKazoo() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import kazoo").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(python);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Test
    void kazooRecipesWatchesTransactionsAndCreatorAllAcl() throws Exception {
        Optional<String> python = pythonWithKazoo();
        Assumptions.assumeTrue(python.isPresent(), "python3 with kazoo is missing (apt-get install python3-kazoo)");
        File script = script();
        Process p = new ProcessBuilder(python.get(), script.getPath(), server.connectString())
                .redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(ended).as("kazoo script ended; output:%n%s", text).isTrue();
        assertThat(p.exitValue()).as("kazoo script exit code; output:%n%s", text).isZero();
        assertThat(text).contains("ALL OK");
    }

    private static File script() throws URISyntaxException {
        return new File(KazooInteropContract.class.getResource("/kazoo/interop.py").toURI());
    }
}
