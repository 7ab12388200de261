package org.ews.run;

/**
 * Another run holds the warehouse's run lock: nothing was done. {@code bin/ews} exits with {@link #EXIT_CODE}, so a
 * scheduler can tell "try again later" from a failed run.
 */
public class RunLockedException extends EwsException {
    public static final int EXIT_CODE = 3;

    public RunLockedException(String message) {
        super(message);
    }
}
