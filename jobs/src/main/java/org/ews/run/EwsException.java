package org.ews.run;

/** A failure an operator can act on: its message is the one line printed on stderr. */
public class EwsException extends RuntimeException {
    public EwsException(String message) {
        super(message);
    }

    public EwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
