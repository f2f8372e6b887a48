package org.packetlab.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.ParsedCellMagic;
import org.dflib.jjava.jupyter.kernel.magic.ParsedLineMagic;
import org.packetlab.mlet.Mlet;
import org.packetlab.notebook.magic.MletMagic;
import org.packetlab.notebook.magic.PktlabMagics;

/**
 * Turns magics into plain Java calls of {@link MagicCalls}, so whatever a magic does is one line
 * of Java too. Unlike JJava's transpiler it leaves the call as the statement's value, so a magic
 * on the last line of a cell shows its value like any expression.
 */
final class PktlabMagicTranspiler extends MagicTranspiler {

    /** Unescaped double quotes: an odd count before a {@code %} means it is inside a string. */
    /** {@code {expr}} inside a line magic's word: a Java expression without braces or blanks. */
    private static final Pattern INTERPOLATED = Pattern.compile("\\{([^{}\\s]+)}");
    private static final Pattern QUOTE = Pattern.compile("(?<!\\\\)\"");

    /**
     * A parser for line magics at the start of a line or right after {@code =}
     * ({@code var help = %pktlab help}), and cell magics on a cell's first line.
     */
    static MagicParser parser() {
        return new MagicParser("(?:^[ \\t]*|(?<==)[ \\t]*)%", "%%", new PktlabMagicTranspiler());
    }

    @Override
    public String transpileLine(ParsedLineMagic magic) {
        List<String> args = magic.magicCall.args;
        if (!magic.linePrefix.isBlank()) {
            if (QUOTE.matcher(magic.linePrefix).results().count() % 2 == 1) {
                // "a=%d" inside a string literal is not a magic
                return magic.raw;
            }
            args = withoutStatementEnd(args);
        }
        return MagicCalls.class.getName() + ".line(" + javaString(magic.magicCall.name) + ", "
                + args.stream().map(PktlabMagicTranspiler::javaWord).collect(Collectors.joining(", ", "java.util.List.of(", ")"))
                + ");";
    }

    /** The arguments of {@code x = %magic a b;} without the {@code ;} that ends the statement. */
    private static List<String> withoutStatementEnd(List<String> args) {
        if (args.isEmpty() || !args.get(args.size() - 1).endsWith(";")) {
            return args;
        }
        List<String> trimmed = new ArrayList<>(args);
        String last = trimmed.remove(trimmed.size() - 1);
        last = last.substring(0, last.length() - 1);
        if (!last.isEmpty()) {
            trimmed.add(last);
        }
        return trimmed;
    }

    @Override
    public String transpileCell(ParsedCellMagic magic) {
        if (magic.magicCall.name.equals(MletMagic.NAME)) {
            return mlet(MletMagic.parse(magic.magicCall.args), magic.magicCall.body);
        }
        return MagicCalls.class.getName() + ".cell(" + javaString(magic.magicCall.name) + ", "
                + javaList(magic.magicCall.args) + ", " + javaString(magic.magicCall.body) + ");";
    }

    /** {@code %%mlet NAME [--run]}: the body becomes a lambda compiled with the cell, then maybe {@code %pktlab run NAME}. */
    private static String mlet(MletMagic.Call call, String body) {
        String define = MletMagic.class.getName() + ".define(" + javaString(call.name()) + ", ("
                + Mlet.class.getName() + "<Object>) ep -> {\n" + body + "\n});";
        return call.run()
                ? define + "\n" + MagicCalls.class.getName() + ".line(" + javaString(PktlabMagics.NAME) + ", "
                        + javaList(List.of("run", call.name())) + ");"
                : define;
    }

    /** A line magic's word as Java: {@code {expr}} in it is the value of that Java expression ({@code --home {dir}}). */
    static String javaWord(String word) {
        Matcher m = INTERPOLATED.matcher(word);
        if (!m.find()) {
            return javaString(word);
        }
        StringBuilder sb = new StringBuilder("(\"\"");
        int at = 0;
        do {
            if (m.start() > at) {
                sb.append(" + ").append(javaString(word.substring(at, m.start())));
            }
            sb.append(" + String.valueOf(").append(m.group(1)).append(')');
            at = m.end();
        } while (m.find());
        if (at < word.length()) {
            sb.append(" + ").append(javaString(word.substring(at)));
        }
        return sb.append(')').toString();
    }

    private static String javaList(List<String> items) {
        return items.stream().map(PktlabMagicTranspiler::javaString)
                .collect(Collectors.joining(", ", "java.util.List.of(", ")"));
    }

    /** {@code s} as a Java string literal. */
    static String javaString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
