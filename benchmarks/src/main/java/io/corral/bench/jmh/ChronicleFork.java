package io.corral.bench.jmh;

import org.openjdk.jmh.annotations.Fork;

/**
 * Base of the benchmarks that open a Chronicle Queue log: their forked JVMs carry the flags bin/corral-server
 * gives the server (JMH inherits {@link Fork} from a superclass).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED"})
public abstract class ChronicleFork {
}
