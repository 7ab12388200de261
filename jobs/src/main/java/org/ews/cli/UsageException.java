package org.ews.cli;

/** Wrong command-line words: printed with a pointer to --help, exit status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
