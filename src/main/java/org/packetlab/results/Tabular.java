package org.packetlab.results;

/**
 * A value whose natural form is a table (a DNS answer section, an endpoint's vmem): notebooks and
 * reports show it as {@link #table()}, not as its {@code toString()}.
 */
public interface Tabular {

    /** This value as a table. */
    Table table();
}
