package io.corral.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code corral-cli}, as zkCli's: {@code [-server host:port[,...]] [-timeout ms] [-r]
 * [-waitforconnection] [-client-configuration file] [command args...]}; the first word that is not an option starts
 * the command. The client configuration file holds ZooKeeper's client properties ({@code zookeeper.client.secure},
 * {@code zookeeper.ssl.*}), over the JVM's system properties.
 */
record LaunchOptions(String server, Duration timeout, boolean readOnly, Path clientConfiguration,
                     List<String> command) {
    static final String DEFAULT_SERVER = "localhost:2181";

    static LaunchOptions parse(String[] args) throws CliException {
        String server = DEFAULT_SERVER;
        Duration timeout = Duration.ofMillis(30_000);
        boolean readOnly = false;
        Path clientConfiguration = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                for (int k = i; k < args.length; k++) {
                    command.add(args[k]);
                }
                break;
            }
            switch (a) {
                case "-server" -> server = value(args, ++i, a);
                case "-timeout" -> {
                    String t = value(args, ++i, a);
                    try {
                        timeout = Duration.ofMillis(Integer.parseInt(t));
                    } catch (NumberFormatException e) {
                        throw new CliException("-timeout must be a number of milliseconds: " + t);
                    }
                }
                case "-r" -> readOnly = true;
                case "-waitforconnection" -> { } // the shell always waits for its session
                case "-client-configuration" -> clientConfiguration = Path.of(value(args, ++i, a));
                default -> { } // zkCli ignores unknown options too
            }
        }
        return new LaunchOptions(server, timeout, readOnly, clientConfiguration, List.copyOf(command));
    }

    private static String value(String[] args, int i, String option) throws CliException {
        if (i >= args.length) {
            throw new CliException("Error: no argument found for option " + option);
        }
        return args[i];
    }
}
