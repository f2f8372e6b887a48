package org.packetlab.notebook.magic;

import java.util.List;

/**
 * What {@code %pktlab help} shows: each sub-magic with its arguments and one line saying what it
 * does. Renders as an HTML table with this plain-text twin.
 */
public record MagicHelp(List<Entry> entries) {

    public MagicHelp {
        entries = List.copyOf(entries);
    }

    /** One sub-magic: {@code %pktlab NAME ARGUMENTS} and its summary. */
    public record Entry(String name, String arguments, String summary) {
        /** The magic as typed: {@code %pktlab NAME ARGUMENTS}. */
        public String syntax() {
            return ("%" + PktlabMagics.NAME + " " + name + " " + arguments).strip();
        }
    }

    @Override
    public String toString() {
        int width = entries.stream().mapToInt(e -> e.syntax().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(String.format("%-" + width + "s  %s%n", e.syntax(), e.summary()));
        }
        return sb.toString().stripTrailing();
    }
}
