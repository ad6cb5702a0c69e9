package io.corral.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a benchmark driver (Compare, ClientCompare, EnsembleCompare): its {@code --key value} options,
 * and a run that ends every child process it started, by pid, on success, failure or a signal, then removes its
 * {@link WorkDirectory} if it succeeded, and exits.
 */
final class DriverCli {
    /** The driver's work; may throw anything, which becomes exit status 1. */
    interface Run {
        void run() throws Exception;
    }

    private DriverCli() {
    }

    /**
     * {@code --key value} pairs (a key of {@code flags} takes no value: "true"), in the given order; exits with
     * status 2 on an unknown option or a missing value. {@code name} prefixes the message.
     */
    static Map<String, String> options(String name, String[] args, Set<String> known, Set<String> flags) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            boolean flag = flags.contains(key);
            if (!known.contains(key) || (!flag && i + 1 >= args.length)) {
                System.err.println(name + ": unknown option or missing value: " + args[i] + "; known: " + known);
                System.exit(2);
            }
            o.put(key, flag ? "true" : args[++i]);
        }
        return o;
    }

    /** Runs {@code run}, stops {@code children} afterwards and at JVM shutdown, and exits with 0 or 1. */
    static void runThenExit(String name, ChildProcesses children, Run run) {
        Runtime.getRuntime().addShutdownHook(new Thread(children::stopAll, name + "-cleanup"));
        int status = 0;
        try {
            run.run();
        } catch (Exception e) {
            System.err.println(name + ": failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            children.stopAll();
        }
        WorkDirectory.finish(status == 0);
        System.exit(status);
    }
}
