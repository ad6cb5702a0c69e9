package io.corral.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** Runs scripts and one-shot commands through Corral's shell, its output captured. */
final class CorralCliRunner {
    private CorralCliRunner() {
    }

    /** The script's lines as typed in one interactive session; waits for {@code events} watch events. */
    static Transcript script(String connectString, List<String> lines, int events) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        List<Integer> codes = new ArrayList<>();
        out.println("Connecting to " + connectString); // what CorralCli.run prints first, as zkCli
        try (Shell shell = new Shell(out, err, Duration.ofSeconds(30), false)) {
            if (!shell.connect(connectString)) {
                throw new IllegalStateException("no session: " + errBytes.toString(StandardCharsets.UTF_8));
            }
            for (String line : lines) {
                codes.add(shell.executeLine(line));
                if (shell.quitRequested()) {
                    break;
                }
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Transcript.countEvents(outBytes.toString(StandardCharsets.UTF_8)) >= events);
            return Transcript.of(outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8),
                    codes, connectString);
        }
    }

    /** {@code corral-cli -server <server> command args...} through the real entry point. */
    static Transcript oneShot(String connectString, List<String> command) {
        List<String> args = new ArrayList<>(List.of("-server", connectString));
        args.addAll(command);
        return run(args, "", connectString);
    }

    /** The entry point with these arguments and this standard input (no terminal). */
    static Transcript run(List<String> args, String stdin, String connectString) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = CorralCli.run(args.toArray(String[]::new),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), false);
        return Transcript.of(outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8),
                List.of(code), connectString);
    }
}
