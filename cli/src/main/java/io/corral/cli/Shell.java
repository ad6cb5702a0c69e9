package io.corral.cli;

import io.corral.client.ClientTls;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell's state and command loop, as zkCli's: the connection, the numbered history, printwatches, and the
 * dispatch of one typed line to its command. Output goes to the given streams; watch events are printed by an
 * {@link EventPrinter} thread. Driven by one thread (the terminal's, or a test's).
 */
public final class Shell implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;
    private final Duration sessionTimeout;
    private final boolean canBeReadOnly;
    private final ClientTls tls;
    private final EventPrinter printer;
    private final Map<String, ShellCommand> commands = new HashMap<>();
    /** Every command name with its syntax, for the usage message. */
    private final Map<String, String> syntaxes = new TreeMap<>();
    private final Map<Integer, String> history = new HashMap<>();
    private volatile boolean printWatches = true;
    private int commandCount;
    private String host;
    private Session session;
    private boolean quit;

    /** A shell whose connections are plaintext. */
    public Shell(PrintStream out, PrintStream err, Duration sessionTimeout, boolean canBeReadOnly) {
        this(out, err, sessionTimeout, canBeReadOnly, null);
    }

    /** A shell whose connections use {@code tls} (null: plaintext). */
    public Shell(PrintStream out, PrintStream err, Duration sessionTimeout, boolean canBeReadOnly, ClientTls tls) {
        this.out = out;
        this.err = err;
        this.sessionTimeout = sessionTimeout;
        this.canBeReadOnly = canBeReadOnly;
        this.tls = tls;
        this.printer = new EventPrinter(out, () -> printWatches);
        for (ShellCommand c : Commands.all()) {
            commands.put(c.name(), c);
            syntaxes.put(c.name(), c.syntax());
        }
        syntaxes.put("connect", "host:port");
        syntaxes.put("history", "");
        syntaxes.put("redo", "cmdno");
        syntaxes.put("printwatches", "on|off");
        syntaxes.put("quit", "");
    }

    /** Connects to {@code connectString}, closing the current session first; false (reported on err) on failure. */
    public boolean connect(String connectString) {
        if (session != null) {
            session.close(CLOSE_TIMEOUT);
            session.detach();
            session = null;
        }
        host = connectString;
        try {
            session = Session.open(connectString, sessionTimeout, canBeReadOnly, tls, printer);
            return true;
        } catch (RuntimeException e) {
            err.println("Unable to connect to " + connectString + ": " + e.getMessage());
            return false;
        }
    }

    /** A line typed at the prompt: kept in the history (unless empty) and run. Returns its exit code. */
    public int executeLine(String line) {
        if (line.isEmpty()) {
            return 0;
        }
        history.put(commandCount, line);
        int code = execute(LineSplitter.split(line));
        commandCount++;
        return code;
    }

    /** Runs one command (name first), reporting a failure on err. Returns the exit code: 0, 1, or 127. */
    public int execute(List<String> words) {
        try {
            dispatch(words);
            return 0;
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }

    private void dispatch(List<String> words) throws CliException {
        if (words.isEmpty()) {
            printUsage();
            throw new CliException("No command entered");
        }
        String name = words.get(0);
        if (!syntaxes.containsKey(name)) {
            printUsage();
            throw new CliException("Command not found: Command not found " + name, CliException.COMMAND_NOT_FOUND);
        }
        switch (name) {
            case "quit" -> {
                closeSession(); // its Closed event is printed before the shell exits, as zkCli's
                quit = true;
                return;
            }
            case "redo" -> {
                if (words.size() >= 2) {
                    redo(words.get(1));
                }
            }
            case "history" -> {
                for (int i = Math.max(0, commandCount - 10); i <= commandCount; i++) {
                    out.println(i + " - " + history.get(i));
                }
            }
            case "printwatches" -> {
                if (words.size() == 1) {
                    out.println("printwatches is " + (printWatches ? "on" : "off"));
                } else {
                    printWatches = words.get(1).equals("on");
                }
            }
            case "connect" -> connect(words.size() >= 2 ? words.get(1) : host);
            default -> { }
        }
        // as zkCli: the shell's own commands fall through to this check too
        if (session == null || !session.alive()) {
            out.println("Not connected");
            return;
        }
        ShellCommand command = commands.get(name);
        if (command != null) {
            command.run(words, this);
        }
    }

    private void redo(String number) throws CliException {
        int i;
        try {
            i = Integer.decode(number);
        } catch (NumberFormatException e) {
            throw new CliException("Command index out of range");
        }
        if (commandCount <= i || i < 0) {
            throw new CliException("Command index out of range");
        }
        String line = history.get(i);
        List<String> words = LineSplitter.split(line);
        if (!words.isEmpty() && words.get(0).equals("redo")) {
            throw new CliException("No redoing redos");
        }
        history.put(commandCount, line);
        execute(words); // its failure is reported; the redo itself succeeded, as in zkCli
    }

    private void printUsage() {
        err.println("corral-cli -server host:port[,host:port...] cmd args");
        for (Map.Entry<String, String> e : syntaxes.entrySet()) {
            err.println("\t" + e.getKey() + " " + e.getValue());
        }
    }

    /** zkCli's prompt, e.g. {@code [zk: 127.0.0.1:2181(CONNECTED) 3] }. */
    public String prompt() {
        String state = session == null ? "CLOSED" : session.stateName();
        return "[zk: " + host + "(" + state + ") " + commandCount + "] ";
    }

    /** True once quit was typed. */
    public boolean quitRequested() {
        return quit;
    }

    /** The command names, for completion. */
    public List<String> commandNames() {
        return new ArrayList<>(syntaxes.keySet());
    }

    /** The current session, or null when not connected. */
    Session session() {
        return session;
    }

    void closeSession() {
        if (session != null) {
            session.close(CLOSE_TIMEOUT);
        }
    }

    /** Waits until the watch events received so far are printed (at most a few seconds). */
    public void flushEvents() {
        try {
            printer.drain(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Turns the printing of watch events on or off (printwatches). */
    public void printWatches(boolean on) {
        printWatches = on;
    }

    void report(ShellEvent event) {
        printer.offer(event);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Closes the session and prints the events still queued. */
    @Override
    public void close() {
        if (session != null) {
            session.close(CLOSE_TIMEOUT);
            session.detach();
            session = null;
        }
        printer.close();
    }
}
