package io.corral.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import io.corral.client.ClientClosedException;
import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import reactor.core.publisher.Mono;

/**
 * One zkCli command that works on the tree: its name, its syntax line and options, and what it does. Commands run on
 * the shell's own thread and wait there for the client's answers; nothing waits on the client's threads.
 */
abstract class ShellCommand {
    private final String name;
    private final String syntax;
    private final Options options;
    private final boolean usageListsOptions;

    ShellCommand(String name, String syntax, Options options) {
        this(name, syntax, options, false);
    }

    /** {@code usageListsOptions}: the usage message carries the option table (zkCli does so for get and set). */
    ShellCommand(String name, String syntax, Options options, boolean usageListsOptions) {
        this.name = name;
        this.syntax = syntax;
        this.options = options;
        this.usageListsOptions = usageListsOptions;
    }

    String name() {
        return name;
    }

    String syntax() {
        return syntax;
    }

    /** Runs the command; {@code words} holds the command name first. */
    final void run(List<String> words, Shell shell) throws CliException {
        run(options.parse(words), shell);
    }

    abstract void run(Options.Parsed p, Shell shell) throws CliException;

    CliException usage() {
        String usage = name + " " + syntax;
        if (usageListsOptions) {
            usage += System.lineSeparator() + options.table();
        }
        return new CliException(usage);
    }

    static CorralClient client(Shell shell) {
        return shell.session().client;
    }

    static PrintStream out(Shell shell) {
        return shell.out();
    }

    static PrintStream err(Shell shell) {
        return shell.err();
    }

    /** zkCli's first check of a command line: fewer than {@code count} words (the name included) is a usage error. */
    final void requireArgs(Options.Parsed p, int count) throws CliException {
        if (p.args().size() < count) {
            throw usage();
        }
    }

    /** The path argument (the word after the command name), checked the way zkCli does. */
    static String pathArgument(Options.Parsed p) throws CliException {
        String path = p.arg(1);
        validPath(path);
        return path;
    }

    /** A {@code -v} version as zkCli reads it: -1 (any version) when there is none. */
    static int version(String text) throws CliException {
        return text == null ? -1 : parseInt(text, "-v argument must be an int value");
    }

    /** Checks a path the way zkCli does, with its messages. */
    static void validPath(String path) throws CliException {
        validPath(path, false);
    }

    static void validPath(String path, boolean sequential) throws CliException {
        try {
            PathRules.validate(path, sequential);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Waits for the answer on the shell's thread; a server error becomes zkCli's message for it. */
    static <T> T await(Mono<T> call) throws CliException {
        try {
            return call.block();
        } catch (KeeperErrorException e) {
            throw new CliException(KeeperMessages.describe(e));
        } catch (ClientClosedException e) {
            throw new CliException(KeeperMessages.keeperMessage(io.corral.protocol.ErrorCode.CONNECTION_LOSS, null));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    static <T> T await(Mono<T> call, Duration timeout) throws CliException {
        return await(call.timeout(timeout));
    }

    static int parseInt(String value, String message) throws CliException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new CliException(message);
        }
    }
}
