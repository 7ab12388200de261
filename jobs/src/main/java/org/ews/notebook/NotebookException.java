package org.ews.notebook;

import org.ews.run.EwsException;

/**
 * A notebook that cannot run. {@link #invalid} ones are found before any query (a parameter, a template name, a chart
 * line): the launcher reports them as wrong usage (exit 2); the others are a cell that failed (exit 1).
 */
public final class NotebookException extends EwsException {
    private final boolean invalid;

    private NotebookException(String message, Throwable cause, boolean invalid) {
        super(message, cause);
        this.invalid = invalid;
    }

    /** The notebook or its parameters are wrong; nothing ran. */
    public static NotebookException invalid(String message) {
        return new NotebookException(message, null, true);
    }

    /** A cell failed while running. */
    public static NotebookException failed(String message, Throwable cause) {
        return new NotebookException(message, cause, false);
    }

    public boolean isInvalid() {
        return invalid;
    }
}
