package org.packetlab.config;

/** A value that fails its option's validation; the parser turns it into a {@link ConfigException} naming file and line. */
final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValueException(String problem) {
        super(problem);
    }

    InvalidValueException(String problem, Throwable cause) {
        super(problem, cause);
    }
}
