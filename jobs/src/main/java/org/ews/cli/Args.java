package org.ews.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value} pairs (also {@code --name=value}), flags that take no value
 * ({@code --keep}), repeatable {@code --set key=value} and {@code --param key=value}, and positional words. Unknown
 * options are refused by name.
 */
public final class Args {
    private final String command;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> settings = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> flags = new java.util.TreeSet<>();

    private Args(String command) {
        this.command = command;
    }

    public static Args parse(String command, String[] words, Set<String> allowed) {
        return parse(command, words, allowed, Set.of());
    }

    /** {@code flagNames}: the allowed options that take no value; given, {@link #flag} is true. */
    public static Args parse(String command, String[] words, Set<String> allowed, Set<String> flagNames) {
        Args a = new Args(command);
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (!w.startsWith("--") || w.equals("--")) {
                a.positional.add(w);
                continue;
            }
            String name = w.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name + " for '" + command + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().map(o -> "--" + o).toList()));
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " of '" + command + "' takes no value; got '" + value + "'");
                }
                if (!a.flags.add(name)) {
                    throw new UsageException("option --" + name + " given twice");
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= words.length || words[i + 1].startsWith("--")) {
                    throw new UsageException("option --" + name + " of '" + command + "' needs a value");
                }
                value = words[++i];
            }
            if (name.equals("set")) {
                a.settings.add(value);
            } else if (name.equals("param")) {
                a.params.add(value);
            } else if (a.options.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return a;
    }

    /** Whether a flag (an option without a value) was given. */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String get(String name) {
        return options.get(name);
    }

    public String require(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("'" + command + "' needs --" + name);
        }
        return v;
    }

    /**
     * A folder the command writes into ({@code --out}): required, and checked like every write location
     * ({@link org.ews.config.SafePaths#writableDir}: no {@code ..} part, not the root of a file system or bucket).
     */
    public String writableDir(String name) {
        String v = require(name);
        String problem = org.ews.config.SafePaths.writableDir(v, false);
        if (problem != null) {
            throw new UsageException("--" + name + " " + (problem.startsWith("'") ? problem : "'" + v + "' " + problem));
        }
        return v;
    }

    public LocalDate date(String name) {
        String v = require(name);
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a date YYYY-MM-DD");
        }
    }

    public long number(String name, long defaultValue) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a whole number");
        }
    }

    /** {@code --set key=value} settings, as key → value. */
    public Map<String, String> settings() {
        return keyValues("set", settings, "ingest.max_bad_row_share=0.1");
    }

    /** {@code --param name=value} (notebook parameters), as name → value; a name given twice is refused. */
    public Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : params) {
            Map<String, String> one = keyValues("param", List.of(p), "date=2025-12-31");
            String name = one.keySet().iterator().next();
            if (m.put(name, one.get(name)) != null) {
                throw new UsageException("--param " + name + " given twice");
            }
        }
        return m;
    }

    private static Map<String, String> keyValues(String option, List<String> values, String example) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : values) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--" + option + " takes key=value, e.g. --" + option + " " + example + "; got '" + s + "'");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        return m;
    }

    public List<String> positional() {
        return positional;
    }
}
