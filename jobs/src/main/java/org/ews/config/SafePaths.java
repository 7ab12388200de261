package org.ews.config;

import java.util.regex.Pattern;

/**
 * Checks on the paths the system writes to, and on the names that become one part of a path, so that a value from the
 * command line or the configuration cannot make a run write somewhere other than where it says: no {@code ..} part (a
 * relative path climbing out of where it seems to point, or an object-store key doing the same), no NUL character, not
 * the root of a file system, and a name meant as one folder or file name holds no separator. Each check returns the
 * problem as text, or null when the value is fine; callers raise it naming their option or key.
 */
public final class SafePaths {
    private SafePaths() {}

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):(//[^/]*)?");

    /**
     * A folder the system writes into (the warehouse, a report or notebook folder, a generated landing zone).
     * {@code bucketRootAllowed}: whether the root of an object-store bucket will do ({@code s3a://bucket}: a warehouse
     * may live there; a report folder, whose parent is needed, may not).
     */
    public static String writableDir(String value, boolean bucketRootAllowed) {
        if (value == null || value.isBlank()) {
            return "is empty";
        }
        if (value.indexOf('\0') >= 0) {
            return "holds a NUL character";
        }
        for (String part : value.split("[/\\\\]")) {
            if (part.equals("..")) {
                return "'" + value + "' climbs out of its folder with '..'; give the path without '..' (an absolute path if need be)";
            }
        }
        java.util.regex.Matcher m = SCHEME.matcher(value);
        boolean local = !m.find() || m.group(1).equalsIgnoreCase("file") || m.group(1).length() == 1;
        String path = local ? value.replaceFirst("^file:(//)?", "") : value.substring(m.end());
        boolean root = path.replaceAll("[/\\\\.]", "").isEmpty() && (!local || path.startsWith("/") || path.startsWith("\\"))
                || local && path.matches("[a-zA-Z]:[/\\\\]*");
        if (root && (local || !bucketRootAllowed)) {
            return "'" + value + "' is the root of " + (local ? "the file system" : "a bucket") + "; give a folder of its own";
        }
        return null;
    }

    /** A name that becomes one part of a path (a run id, a folder or file name): no separator, not {@code .} or {@code ..}. */
    public static String component(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty";
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            return "'" + value + "' holds a path separator (/ or \\)";
        }
        if (value.indexOf('\0') >= 0) {
            return "holds a NUL character";
        }
        if (value.chars().allMatch(c -> c == '.')) {
            return "'" + value + "' is made of dots only: it would name the folder itself or its parent";
        }
        return null;
    }
}
