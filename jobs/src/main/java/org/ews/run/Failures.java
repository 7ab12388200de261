package org.ews.run;

import org.ews.Messages;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Storage failures said so an operator can act: which path, and whether it is a permission error, a full disk or a
 * read-only file system. Spark wraps a task's failure in its own exceptions, so the cause chain is searched.
 */
public final class Failures {
    private Failures() {}

    /** The innermost I/O failure in {@code e}'s cause chain (the storage's own words), if there is one. */
    public static Optional<IOException> io(Throwable e) {
        IOException found = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 50; t = t.getCause(), depth++) {
            if (t instanceof IOException io) {
                found = io;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the chain holds a permission error (Hadoop's AccessControlException, java.nio's, or a local EACCES). */
    public static boolean permissionDenied(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 50; t = t.getCause(), depth++) {
            String name = t.getClass().getName();
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // Messages only of I/O failures: a parser's error may quote a row that says anything.
            if (name.equals("org.apache.hadoop.security.AccessControlException") || t instanceof java.nio.file.AccessDeniedException
                    || name.endsWith(".AccessDeniedException")
                    || t instanceof IOException && (m.contains("permission denied") || m.contains("access denied"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the chain holds a full disk or an exceeded quota. */
    public static boolean diskFull(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 50; t = t.getCause(), depth++) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof IOException && (m.contains("no space left on device") || m.contains("disk quota exceeded"))
                    || t.getClass().getSimpleName().contains("QuotaExceeded")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line for an I/O failure: "disk full: ...", "permission denied: ...", "read-only file system: ..." or the
     * exception's class and message, from the innermost I/O failure when there is one.
     */
    public static String describeIo(Throwable e) {
        Throwable inner = io(e).map(Throwable.class::cast).orElse(e);
        String text = inner.getMessage() == null ? inner.getClass().getSimpleName()
                : Messages.firstLine(inner.getMessage());
        if (diskFull(e)) {
            return "disk full (" + text + ")";
        }
        if (permissionDenied(e)) {
            return "permission denied (" + text + ")";
        }
        if (inner instanceof IOException && text.toLowerCase(Locale.ROOT).contains("read-only file system")) {
            return "read-only file system (" + text + ")";
        }
        return inner.getClass().getSimpleName() + ": " + text;
    }

    /**
     * What a failed write becomes: an {@link EwsException} naming {@code what} (the table and its path) and the storage's
     * cause when the chain holds an I/O failure; otherwise {@code e} itself, unchanged (Spark's and Delta's own errors
     * already say what they are).
     */
    public static RuntimeException onWrite(Throwable e, String what) {
        if (e instanceof EwsException ews) {
            return ews;
        }
        if (io(e).isPresent()) {
            return new EwsException(what + ": " + describeIo(e), e);
        }
        return sneaky(e);
    }

    /** Rethrows a checked exception (Spark's Scala code throws AnalysisException undeclared) without wrapping it. */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> RuntimeException sneaky(Throwable e) throws T {
        throw (T) e;
    }
}
