package io.corral.cli;

/** zkCli's old forms {@code ls|get|stat path watch}: a third word asks for a watch, with a warning. */
final class OldWatchArgument {
    private OldWatchArgument() {
    }

    /** True (after warning on err) when the old watch argument was given; it is dropped from the arguments. */
    static boolean watchArgument(Options.Parsed p, Shell shell, String command) {
        if (p.args().size() <= 2) {
            return false;
        }
        String modern = command.equals("get") ? "get [-s] [-w] path" : command + " [-w] path";
        shell.err().println("'" + command + " path [watch]' has been deprecated. Please use '" + modern + "' instead.");
        p.args().subList(2, p.args().size()).clear();
        return true;
    }
}
