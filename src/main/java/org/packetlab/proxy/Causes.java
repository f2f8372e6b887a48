package org.packetlab.proxy;

/** One-line descriptions of failures for log lines and error messages. */
final class Causes {
    private Causes() {}

    /** The message of {@code t} followed by the messages of its causes that add something. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(message(t));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = message(c);
            if (!sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
