package org.ews.config;

import org.ews.Messages;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the {@link EwsConfig} from four layers, each overriding the one before:
 * <ol>
 *   <li>defaults ({@link EwsConfig#defaults()});</li>
 *   <li>the YAML file ({@code --config}, else {@code $EWS_CONFIG}, else {@code conf/local.yaml});</li>
 *   <li>{@code EWS_*} environment variables: the key path upper-cased with dots as underscores,
 *       e.g. {@code EWS_SPARK_SHUFFLE_PARTITIONS=8}, {@code EWS_COUNTRIES_GROUPS_CONCERN=CN,RU};</li>
 *   <li>the command line: {@code --landing}, {@code --warehouse} and {@code --set key=value}.</li>
 * </ol>
 * Unknown keys, values of the wrong type and out-of-range values fail with a {@link ConfigException}
 * that names the key and the layer it came from.
 *
 * <p>Secrets stay out of the file: a value in the YAML file may hold {@code ${NAME}}, replaced by the environment
 * variable {@code NAME} when the file is read (a key whose default is a number or a boolean is typed after the
 * replacement). An unset variable stops the run at start, naming the variable and the key. {@code $${} stands for a
 * literal {@code ${}; a {@code $} before anything else is itself. Only the file's values are replaced: {@code EWS_*}
 * variables and {@code --set} values are taken as they are (the shell has already expanded them).
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "EWS_";
    public static final Path DEFAULT_FILE = Path.of("conf", "local.yaml");
    /** Environment variables read by the launcher itself, not configuration keys. */
    public static final Set<String> LAUNCHER_ENV = Set.of("EWS_CONFIG", "EWS_JAVA_OPTS", "EWS_METRICS_FILE");

    /** Map-valued keys: their entries are free names, not fixed fields. Value: whether entries are lists. */
    private static final Map<String, Boolean> MAP_KEYS = Map.of("spark.conf", false, "countries.groups", true,
            "conform.hs_editions", false, "metrics.screens", false, "quality.rules", false);
    /** Structured rule sets: written in the YAML file, not as one --set or EWS_* string. */
    private static final List<String> FILE_ONLY_KEYS = List.of("metrics.screens", "metrics.watchlist.tiers", "quality.rules");

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Path file;
    private boolean fileExplicit;
    private Map<String, String> environment = Map.of();
    /** Command-line settings: key → {value, the layer's name for messages}. */
    private final Map<String, String[]> overrides = new LinkedHashMap<>();
    /** Environment variables the file refers to with ${NAME}: they are not config keys, even when named EWS_*. */
    private final Set<String> referenced = new java.util.TreeSet<>();
    /** Dotted key path → the layer that last set it, for error messages. */
    private final Map<String, String> sources = new TreeMap<>();

    private ConfigLoader() {}

    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /** The YAML file; null means {@code $EWS_CONFIG} or else {@code conf/local.yaml} if it exists. */
    public ConfigLoader file(Path file) {
        this.file = file;
        this.fileExplicit = file != null;
        return this;
    }

    public ConfigLoader environment(Map<String, String> environment) {
        this.environment = environment;
        return this;
    }

    /** A command-line setting, key as in the YAML file ({@code ingest.max_bad_row_share}). */
    public ConfigLoader set(String key, String value) {
        return set(key, value, "command line (--set " + key + ")");
    }

    /** A command-line setting given by an option of its own ({@code --warehouse}): messages name {@code origin}. */
    public ConfigLoader set(String key, String value, String origin) {
        overrides.put(key, new String[]{value, origin});
        return this;
    }

    public EwsConfig load() {
        ObjectNode tree = MAPPER.valueToTree(EwsConfig.defaults());
        Path yaml = resolveFile();
        if (yaml != null) {
            mergeFile(tree, yaml);
        }
        applyEnvironment(tree);
        overrides.forEach((key, value) -> applyString(tree, key, value[0], value[1]));
        EwsConfig config = bind(tree);
        try {
            config.validate();
        } catch (ConfigException e) {
            throw withSource(e);
        }
        return config;
    }

    private Path resolveFile() {
        if (fileExplicit) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " does not exist or is not a file (from --config)");
            }
            return file;
        }
        String fromEnv = environment.get("EWS_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("config file " + p + " does not exist or is not a file (from EWS_CONFIG)");
            }
            return p;
        }
        return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    }

    private void mergeFile(ObjectNode tree, Path yaml) {
        JsonNode fileTree;
        try {
            fileTree = MAPPER.readTree(yaml.toFile());
        } catch (IOException e) {
            throw new ConfigException("config file " + yaml + " is not valid YAML: " + Messages.firstLine(e.getMessage()));
        }
        if (fileTree == null || fileTree.isMissingNode() || fileTree.isNull()) {
            return; // an empty file means: defaults
        }
        if (!fileTree.isObject()) {
            throw new ConfigException("config file " + yaml + " must hold a mapping of sections (paths, spark, ...)");
        }
        merge(tree, (ObjectNode) fileTree, "", yaml.toString());
    }

    private void merge(ObjectNode target, ObjectNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix + f.getKey();
            JsonNode value = f.getValue();
            JsonNode existing = target.get(f.getKey());
            if (value.isNull()) {
                throw new ConfigException(key, "has no value (in " + origin + ")");
            }
            if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value, key + ".", origin);
            } else {
                target.set(f.getKey(), substitute(value, existing, key, origin));
                sources.put(key, origin);
            }
        }
    }

    private void applyEnvironment(ObjectNode tree) {
        Map<String, String> envKeys = new TreeMap<>();
        for (String path : leafPaths(tree, "")) {
            envKeys.put(envName(path), path);
        }
        List<String> unknown = new ArrayList<>();
        new TreeMap<>(environment).forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || LAUNCHER_ENV.contains(name) || referenced.contains(name)) {
                return;
            }
            String path = envKeys.get(name);
            if (path == null && name.startsWith(envName("countries.groups") + "_")) {
                path = "countries.groups." + name.substring(envName("countries.groups").length() + 1).toLowerCase();
            }
            if (path == null) {
                unknown.add(name);
            } else {
                applyString(tree, path, value, "environment variable " + name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("environment variable " + String.join(", ", unknown)
                    + " matches no config key; known: " + String.join(", ", envKeys.keySet()));
        }
    }

    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The file's value with every {@code ${NAME}} replaced by the environment variable's value, deep into lists and
     * mappings. A text that held a reference and replaces a number or boolean default is typed like an {@code EWS_*}
     * value; an error then names the variable, never its value (it may be a secret).
     */
    private JsonNode substitute(JsonNode value, JsonNode like, String key, String origin) {
        if (value.isTextual()) {
            String text = value.asText();
            if (!text.contains("${")) {
                return value;
            }
            List<String> names = new ArrayList<>();
            String replaced = expand(text, key, origin, names);
            if (like != null && (like.isNumber() || like.isBoolean())) {
                try {
                    return typed(key, like, replaced, origin);
                } catch (ConfigException e) {
                    throw new ConfigException(key, "expects " + (like.isBoolean() ? "true or false" : like.isIntegralNumber()
                            ? "a whole number" : "a number") + ", and the value of " + String.join(", ", names)
                            + " is not one (in " + origin + ")");
                }
            }
            return like != null && like.isArray() ? splitList(replaced) : JsonNodeFactory.instance.textNode(replaced);
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                out.add(substitute(value.get(i), null, key + "[" + i + "]", origin));
            }
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            value.fields().forEachRemaining(f -> out.set(f.getKey(), substitute(f.getValue(),
                    like == null ? null : like.get(f.getKey()), key + "." + f.getKey(), origin)));
            return out;
        }
        return value;
    }

    /** {@code ${NAME}} → the variable's value; {@code $${} → {@code ${}; names used are added to {@code names}. */
    private String expand(String text, String key, String origin, List<String> names) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                String name = end < 0 ? "" : text.substring(i + 2, end);
                if (!VARIABLE.matcher(name).matches()) {
                    throw new ConfigException(key, "has a malformed reference '" + Messages.firstLine(
                            text.substring(i, end < 0 ? text.length() : end + 1)) + "' (in " + origin + "): write ${NAME} for "
                            + "the environment variable NAME (letters, digits, _), or $${ for a literal ${");
                }
                String v = environment.get(name);
                if (v == null) {
                    throw new ConfigException(key, "needs the environment variable " + name + ", which is not set (in "
                            + origin + "); set " + name + ", or write $${ for a literal ${");
                }
                referenced.add(name);
                names.add(name);
                out.append(v);
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Sets a value given as text (environment, command line), typed after the default it replaces. */
    private void applyString(ObjectNode tree, String key, String text, String origin) {
        for (String fileOnly : FILE_ONLY_KEYS) {
            if (key.equals(fileOnly) || key.startsWith(fileOnly + ".") || key.startsWith(fileOnly + "[")) {
                throw new ConfigException(key, "is a rule set: write it under " + fileOnly + " in the config file (from "
                        + origin + ")");
            }
        }
        String[] parts = key.split("\\.");
        ObjectNode parent = tree;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            walked.append(i == 0 ? "" : ".").append(parts[i]);
            JsonNode next = parent.get(parts[i]);
            if (next == null || !next.isObject()) {
                // Map keys such as spark.conf take dotted entry names: spark.conf.spark.sql.x
                if (MAP_KEYS.containsKey(walked.toString())) {
                    break;
                }
                throw new ConfigException(key, "is not a config key (from " + origin + ")");
            }
            parent = (ObjectNode) next;
            if (MAP_KEYS.containsKey(walked.toString())) {
                String entry = key.substring(walked.length() + 1);
                parent.set(entry, typedEntry(walked.toString(), entry, text));
                sources.put(key, origin);
                return;
            }
        }
        String leaf = parts[parts.length - 1];
        JsonNode old = parent.get(leaf);
        if (old == null || old.isObject()) {
            throw new ConfigException(key, "is not a settable config key (from " + origin + ")");
        }
        parent.set(leaf, typed(key, old, text, origin));
        sources.put(key, origin);
    }

    private static JsonNode typedEntry(String mapKey, String entry, String text) {
        return MAP_KEYS.get(mapKey) ? splitList(text) : JsonNodeFactory.instance.textNode(text);
    }

    private static JsonNode typed(String key, JsonNode like, String text, String origin) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String t = text.trim();
        try {
            if (like.isBoolean()) {
                if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                return f.booleanNode(Boolean.parseBoolean(t.toLowerCase()));
            }
            if (like.isIntegralNumber()) {
                return f.numberNode(Long.parseLong(t));
            }
            if (like.isNumber()) {
                return f.numberNode(Double.parseDouble(t));
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expects " + (like.isBoolean() ? "true or false" : like.isIntegralNumber()
                    ? "a whole number" : "a number") + ", got '" + text + "' (from " + origin + ")");
        }
        if (like.isArray()) {
            return splitList(t);
        }
        return f.textNode(text);
    }

    private static ArrayNode splitList(String text) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                list.add(s.trim());
            }
        }
        return list;
    }

    private EwsConfig bind(ObjectNode tree) {
        try {
            return MAPPER.treeToValue(tree, EwsConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = dotted(e);
            throw new ConfigException(key, "is not a config key" + sourceSuffix(key) + "; known keys here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            String key = dotted(e);
            throw new ConfigException(key, "expects " + typeName(e.getTargetType()) + ", got '" + e.getValue() + "'"
                    + sourceSuffix(key));
        } catch (JsonMappingException e) {
            String key = dotted(e);
            JsonNode value = tree.at("/" + key.replace('.', '/'));
            throw new ConfigException(key, "has a value of the wrong type: '" + (value.isMissingNode() ? "" : value)
                    + "'" + sourceSuffix(key) + " (" + Messages.firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new ConfigException("configuration could not be read: " + e.getMessage());
        }
    }

    private ConfigException withSource(ConfigException e) {
        return e.key() == null ? e : new ConfigException(e.key(),
                e.getMessage().substring(("config key '" + e.key() + "' ").length()) + sourceSuffix(e.key()));
    }

    private String sourceSuffix(String key) {
        for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            if (sources.containsKey(k)) {
                return " (from " + sources.get(k) + ")";
            }
        }
        return sources.entrySet().stream().filter(s -> s.getKey().startsWith(key + "."))
                .map(s -> " (from " + s.getValue() + ")").findFirst().orElse(" (default)");
    }

    private static String dotted(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> c) {
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) return "a whole number";
        if (c == double.class || c == Double.class) return "a number";
        if (c == boolean.class || c == Boolean.class) return "true or false";
        return c.getSimpleName();
    }

    static String envName(String path) {
        return ENV_PREFIX + path.toUpperCase().replace('.', '_');
    }

    private static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        node.fields().forEachRemaining(f -> {
            String path = prefix + f.getKey();
            if (MAP_KEYS.containsKey(path)) {
                return; // entries are free names; countries.groups.* is handled on its own
            }
            if (f.getValue().isObject()) {
                out.addAll(leafPaths(f.getValue(), path + "."));
            } else {
                out.add(path);
            }
        });
        return out;
    }

}
