package io.corral.cli;

/** A command failed: the message goes to stderr, the exit code to the caller (zkCli's codes: 1, 127 not found). */
public class CliException extends Exception {
    public static final int ERROR = 1;
    public static final int COMMAND_NOT_FOUND = 127;

    private final int exitCode;

    public CliException(String message) {
        this(message, ERROR);
    }

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
