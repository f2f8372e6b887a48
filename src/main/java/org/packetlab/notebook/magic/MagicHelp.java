package org.packetlab.notebook.magic;

import java.util.List;

/**
 * What {@code %pktlab help} shows: each sub-magic, and the cell magic {@code %%mlet}, with its
 * arguments and one line saying what it does. Renders as an HTML table with this plain-text twin.
 */
public record MagicHelp(List<Entry> entries) {

    public MagicHelp {
        entries = List.copyOf(entries);
    }

    /**
     * One magic and its summary.
     *
     * @param prefix what comes before the name as typed: {@code %pktlab } for a sub-magic, {@code %%} for a cell magic
     */
    public record Entry(String prefix, String name, String arguments, String summary) {
        /** A sub-magic: {@code %pktlab NAME ARGUMENTS}. */
        public static Entry subMagic(String name, String arguments, String summary) {
            return new Entry("%" + PktlabMagics.NAME + " ", name, arguments, summary);
        }

        /** The magic as typed: {@code %pktlab NAME ARGUMENTS}, {@code %%NAME ARGUMENTS}. */
        public String syntax() {
            return (prefix + name + " " + arguments).strip();
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
