package org.packetlab.notebook;

/** Rethrows a caught throwable unchanged, checked or not, so its type still names the error. */
final class Rethrow {
    private Rethrow() {}

    /** Throws {@code t} as is; declared to return an exception so callers can write {@code throw}. */
    static RuntimeException unchecked(Throwable t) {
        return Rethrow.<RuntimeException>raise(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException raise(Throwable t) throws T {
        throw (T) t;
    }
}
