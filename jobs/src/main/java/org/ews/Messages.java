package org.ews;

/** Shapes text for the one line an operator reads on failure. */
public final class Messages {
    private Messages() {}

    /** The first line of a (possibly multi-line, possibly null) exception message. */
    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
