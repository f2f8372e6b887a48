package org.packetlab.results;

/**
 * A value that knows its one-line summary for result tables. Values that do not implement it are
 * summarized by {@code toString()}.
 */
public interface Summarizable {

    /** One line describing this value (may be long; tables shorten it). */
    String summary();
}
