package io.corral.server.config;

/** A configuration value that stops start-up; always names the offending key so operators can find it. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(message.contains(key) ? message : key + ": " + message);
        this.key = key;
    }

    public ConfigException(String key, String message, Throwable cause) {
        this(key, message);
        initCause(cause);
    }

    /** The config key (or, when the file itself is unreadable, the file's path) this error is about. */
    public String key() {
        return key;
    }

    static ConfigException invalid(String key, String value, String reason) {
        return new ConfigException(key, "Invalid value '" + value + "' for " + key + ": " + reason);
    }
}
