package org.packetlab.ppks;

/** Decimal unsigned 64-bit values as the reference parses limits ({@code strtoull} plus an end check). */
final class Decimal {
    private Decimal() {}

    /**
     * Parses digits only; an empty value is 0, as in the reference (spec/certificates.md §10.8).
     * Values are unsigned: compare them with {@link Long#compareUnsigned}.
     */
    static long parseU64(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("\"" + s + "\" is not a decimal number");
            }
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" does not fit in 64 bits", e);
        }
    }
}
