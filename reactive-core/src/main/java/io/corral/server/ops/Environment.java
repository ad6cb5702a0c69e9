package io.corral.server.ops;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process's environment as envi and the admin command environment list it, under ZooKeeper's keys. */
public final class Environment {
    private static final List<String> SYSTEM_PROPERTIES = List.of("java.version", "java.vendor", "java.home",
            "java.class.path", "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch",
            "os.version", "user.name", "user.home", "user.dir");

    private Environment() {
    }

    public static Map<String, String> properties() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("zookeeper.version", MonitorValues.VERSION);
        String host;
        try {
            host = InetAddress.getLoopbackAddress().getHostName();
        } catch (RuntimeException e) {
            host = "<NA>";
        }
        values.put("host.name", host);
        for (String key : SYSTEM_PROPERTIES) {
            values.put(key, System.getProperty(key, "<NA>"));
        }
        Runtime rt = Runtime.getRuntime();
        values.put("os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
        values.put("os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
        values.put("os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
        return values;
    }
}
