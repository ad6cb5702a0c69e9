package io.corral.server.tls;

import io.corral.server.childjvm.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Child JVMs with ZooKeeper's own Netty (4.1, copied to {@code target/zookeeper-netty} by the build) in place of
 * Reactor Netty's 4.2: one classpath cannot hold both, and ZooKeeper's TLS client socket and its Netty server
 * factory need theirs. Only the processes started here are ever stopped, by their {@link Process} handle.
 */
final class ZooKeeperNettyJvm {
    private static final Path NETTY_41 = Path.of("target", "zookeeper-netty");

    private ZooKeeperNettyJvm() {
    }

    /** This JVM's classpath without any Netty 4.2 or Reactor Netty jar, plus ZooKeeper's Netty. */
    static String classpath() {
        Stream<String> ours = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("/io/netty/") && !entry.contains("reactor-netty"));
        List<String> netty;
        try (Stream<Path> jars = Files.list(NETTY_41)) {
            netty = jars.filter(p -> p.toString().endsWith(".jar")).map(p -> p.toAbsolutePath().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ZooKeeper's Netty is missing from " + NETTY_41.toAbsolutePath()
                    + " (the build's generate-test-resources phase copies it)", e);
        }
        if (netty.isEmpty()) {
            throw new IllegalStateException("no jar in " + NETTY_41.toAbsolutePath());
        }
        return Stream.concat(ours, netty.stream()).collect(Collectors.joining(File.pathSeparator));
    }

    static Process launch(List<String> systemProperties, String mainClass, List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dzookeeper.sasl.client=false");
        command.add("-Dzookeeper.admin.enableServer=false");
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        ChildJvm.note(logFile, "launching " + mainClass + " " + args);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a main to its end (at most two minutes) and returns what it printed. */
    static String run(List<String> systemProperties, String mainClass, List<String> args, Path logFile) {
        long before = logFile.toFile().length();
        Process p = launch(systemProperties, mainClass, args, logFile);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                ChildJvm.kill(p, java.time.Duration.ofSeconds(10));
                throw new IllegalStateException(mainClass + " did not finish within two minutes; see " + logFile);
            }
            String out = Files.readString(logFile, StandardCharsets.UTF_8).substring((int) before);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " exited with " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
