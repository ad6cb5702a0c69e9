package io.corral.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.corral.client.ClientTls;
import io.corral.client.ClientTlsProperties;

/**
 * {@code corral-cli [-server host:port[,...]] [-timeout ms] [-r] [-client-configuration file] [command args...]}:
 * ZooKeeper's zkCli for Corral. TLS as zkCli's: {@code -Dzookeeper.client.secure=true -Dzookeeper.ssl.*} system
 * properties, or the same keys in the client configuration file.
 * With a command it runs it and exits with its code; without one it reads commands, from a JLine terminal (history,
 * completion of commands and znode paths) when there is one, else line by line from standard input.
 */
public final class CorralCli {
    private CorralCli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err, System.console() != null);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the shell on these streams and returns its exit code: the command's with a command (0, 1, 127), else
     * the last command's. {@code terminal}: read from the system terminal with JLine rather than from {@code in}.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (CliException e) {
            err.println(e.getMessage());
            return CliException.ERROR;
        }
        ClientTls tls;
        try {
            tls = ClientTlsProperties.read(clientProperties(options.clientConfiguration()));
        } catch (IOException | IllegalArgumentException e) {
            err.println("Bad client configuration: " + e.getMessage());
            return CliException.ERROR;
        }
        out.println("Connecting to " + options.server());
        try (Shell shell = new Shell(out, err, options.timeout(), options.readOnly(), tls)) {
            boolean connected = shell.connect(options.server());
            shell.flushEvents(); // the SyncConnected event before anything else
            if (!options.command().isEmpty()) {
                int code = connected ? shell.execute(options.command()) : CliException.ERROR;
                shell.flushEvents();
                shell.printWatches(false); // the session's end is no news to a one-shot command
                return code;
            }
            out.println("Welcome to Corral!");
            if (terminal) {
                return InteractiveTerminal.run(shell, out);
            }
            return readLines(shell, in);
        }
    }

    /** The JVM's system properties, overridden by the {@code -client-configuration} file's, as zkCli's. */
    private static Properties clientProperties(Path file) throws IOException {
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    private static int readLines(Shell shell, InputStream in) {
        int code = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!shell.quitRequested() && (line = reader.readLine()) != null) {
                code = shell.executeLine(line);
            }
        } catch (IOException e) {
            shell.err().println("Reading commands failed: " + e.getMessage());
            return CliException.ERROR;
        }
        return code;
    }
}
