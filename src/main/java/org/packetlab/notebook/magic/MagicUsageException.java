package org.packetlab.notebook.magic;

/**
 * Bad arguments to a magic: shown to the notebook user as one line and the magic's usage, never
 * as a stack trace.
 */
public final class MagicUsageException extends RuntimeException {
    private final String usage;

    /** A usage error whose usage the dispatcher fills in from the magic that threw it. */
    public MagicUsageException(String message) {
        this(message, null);
    }

    /** A usage error with the usage text to show under the message (may be null). */
    public MagicUsageException(String message, String usage) {
        super(message, null, false, false);
        this.usage = usage;
    }

    /** The usage shown under the message, or null. */
    public String usage() {
        return usage;
    }

    /** This error with {@code usage} when it has none yet. */
    MagicUsageException withUsage(String usage) {
        return this.usage != null ? this : new MagicUsageException(getMessage(), usage);
    }
}
