package org.packetlab.wire;

/**
 * The response {@code result} (0x40): the outcome of a request (spec/wire-protocol.md §5.1).
 *
 * <pre>
 *   (empty)                            SUCCESS
 *   | errid u16 |                      any other status
 *   | 0x0013 | monindx u16 |           ECTLMONUKN
 *   | 0x0012 | monindx u16 | monerrid u16 |   ECTLMONREJ
 * </pre>
 *
 * @param errid    the 16-bit status code, named by {@link #status()}
 * @param monindx  the monitor index (only for ECTLMONREJ and ECTLMONUKN, else 0)
 * @param monerrid the monitor's error value (only for ECTLMONREJ, else 0)
 */
public record Result(int errid, int monindx, int monerrid) implements Response {

    private static final Result OK = new Result(0, 0, 0);

    public Result {
        Check.u16(errid, "errid");
        Check.u16(monindx, "monindx");
        Check.u16(monerrid, "monerrid");
        if (errid != Status.ECTLMONREJ.code() && monerrid != 0) {
            throw new IllegalArgumentException("monerrid is only carried with ECTLMONREJ");
        }
        if (errid != Status.ECTLMONREJ.code() && errid != Status.ECTLMONUKN.code() && monindx != 0) {
            throw new IllegalArgumentException("monindx is only carried with ECTLMONREJ or ECTLMONUKN");
        }
    }

    /** Success (status 0, empty body). */
    public static Result ok() {
        return OK;
    }

    /** A result with the given status; monitor fields 0. */
    public static Result of(Status status) {
        if (status == Status.UNKNOWN) {
            throw new IllegalArgumentException("Status.UNKNOWN has no wire value; use of(int)");
        }
        return of(status.code());
    }

    /** A result with the given 16-bit status code; monitor fields 0. */
    public static Result of(int errid) {
        return errid == 0 ? OK : new Result(errid, 0, 0);
    }

    /** ECTLMONREJ: monitor {@code monindx} rejected the request with its error value {@code monerrid}. */
    public static Result monitorRejected(int monindx, int monerrid) {
        return new Result(Status.ECTLMONREJ.code(), monindx, monerrid);
    }

    /** ECTLMONUKN: monitor {@code monindx} failed. */
    public static Result monitorFailed(int monindx) {
        return new Result(Status.ECTLMONUKN.code(), monindx, 0);
    }

    /** The named status; {@link Status#UNKNOWN} for a code without a name (see {@link #errid()}). */
    public Status status() {
        return Status.of(errid);
    }

    /** Whether this is a success. */
    public boolean isOk() {
        return errid == 0;
    }

    @Override
    public MessageType type() {
        return MessageType.RESULT;
    }

    @Override
    public String toString() {
        String s = "Result[" + Status.nameOf(errid);
        if (errid == Status.ECTLMONREJ.code()) {
            s += ", monindx=" + monindx + ", monerrid=" + monerrid;
        } else if (errid == Status.ECTLMONUKN.code()) {
            s += ", monindx=" + monindx;
        }
        return s + "]";
    }
}
