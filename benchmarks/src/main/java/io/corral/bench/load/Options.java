package io.corral.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --key value} and {@code --flag} command-line options; unknown keys are an error. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> used = new LinkedHashMap<>();

    Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(key, args[++i]);
            } else {
                values.put(key, "true");
            }
        }
    }

    boolean has(String key) {
        used.put(key, "");
        return values.containsKey(key);
    }

    String string(String key, String dflt) {
        used.put(key, "");
        return values.getOrDefault(key, dflt);
    }

    int integer(String key, int dflt) {
        String v = string(key, null);
        return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    long longValue(String key, long dflt) {
        String v = string(key, null);
        return v == null ? dflt : Long.parseLong(v.replace("_", ""));
    }

    double decimal(String key, double dflt) {
        String v = string(key, null);
        return v == null ? dflt : Double.parseDouble(v);
    }

    boolean flag(String key) {
        String v = string(key, null);
        return v != null && !v.equals("false");
    }

    /** Fails on options no one asked for (typos). Call after reading every option. */
    void checkAllUsed() {
        for (String key : values.keySet()) {
            if (!used.containsKey(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
    }
}
