package org.ews.config;

/** A bad setting, reported with the key that holds it (and where the value came from, when known). */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super("config key '" + key + "' " + message);
        this.key = key;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    public String key() {
        return key;
    }
}
