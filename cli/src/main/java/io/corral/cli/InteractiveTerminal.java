package io.corral.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The interactive loop on a JLine terminal: prompt, editing, history (kept in ~/.corral_cli_history), completion. */
final class InteractiveTerminal {
    private InteractiveTerminal() {
    }

    static int run(Shell shell, PrintStream out) {
        int code = 0;
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                    .completer(new ZnodeCompleter(shell))
                    .variable(LineReader.HISTORY_FILE,
                            Path.of(System.getProperty("user.home"), ".corral_cli_history"))
                    .build();
            while (!shell.quitRequested()) {
                String line;
                try {
                    line = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the line being typed
                } catch (EndOfFileException e) {
                    break; // Ctrl-D
                }
                code = shell.executeLine(line.trim());
            }
        } catch (IOException e) {
            out.println("No terminal (" + e.getMessage() + ")");
            return CliException.ERROR;
        }
        return code;
    }
}
