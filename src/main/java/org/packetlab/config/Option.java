package org.packetlab.config;

import java.nio.file.Path;

/**
 * One option of a configuration file: its key, how its value is read, how repeated lines combine
 * (spec/config-files.md §1.2), and how {@link ConfigText} documents it.
 *
 * @param emptyIsAbsent whether a line with an empty value is skipped (every type but booleans and
 *                      {@code TransprotoSup}, whose empty values are errors)
 * @param section       heading under which {@link ConfigText} writes the option
 * @param help          one or more comment lines explaining the option
 * @param placeholder   what {@link ConfigText} shows on the commented-out line when the option is absent
 */
record Option<T>(String key, Repeat repeat, boolean emptyIsAbsent, Reader<T> reader,
                 String section, String help, String placeholder) {

    /** How repeated lines of one option combine. Lines are applied from the last line of the file to the first. */
    enum Repeat {
        /** The first value applied is kept: the last non-empty line in the file wins; lines above it are not validated. */
        LATCHED,
        /** Every line is validated and applied: the first line in the file wins. */
        OVERWRITING,
        /** Every line adds a value; values are kept in file order. */
        ACCUMULATING
    }

    /** Turns a value text into a typed value, or refuses it. */
    @FunctionalInterface
    interface Reader<T> {
        T read(String value, Context context) throws InvalidValueException;
    }

    /** What a reader may use: where relative paths start, and a sink for warnings about its line. */
    interface Context {
        Path workingDirectory();

        void warn(String problem);
    }
}
