package org.packetlab.broker;

/** The outcome of checking one request: the accepted value, or the refusal to answer with. */
sealed interface Checked<T> permits Checked.Ok, Checked.Refused {

    record Ok<T>(T value) implements Checked<T> {}

    record Refused<T>(Refusal refusal) implements Checked<T> {}

    static <T> Checked<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Checked<T> refused(org.packetlab.wire.Status status, String reason) {
        return new Refused<>(Refusal.of(status, reason));
    }
}
