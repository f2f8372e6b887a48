package org.packetlab.ppks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM armour as the reference writes it: 64 base64 characters per line, {@code \n} line ends. */
final class Pem {
    /** Largest PEM or DER input we accept for one object (keys, certificates, CSRs). */
    static final int MAX_OBJECT_BYTES = 64 * 1024;

    private Pem() {}

    static String encode(String label, byte[] der) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(b64.length() + 80);
        sb.append("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < b64.length(); i += 64) {
            sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        sb.append("-----END ").append(label).append("-----\n");
        return sb.toString();
    }

    /** Whether {@code data} looks like PEM text (starts with a BEGIN line after optional whitespace). */
    static boolean isPem(byte[] data) {
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        return data.length - i >= 11 && new String(data, i, 11, StandardCharsets.US_ASCII).equals("-----BEGIN ");
    }

    /** The DER contents of every block with one of {@code labels}, in file order; other blocks are skipped. */
    static List<Block> decodeAll(String text, int maxBlocks, String... labels) {
        List<Block> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", pos);
            if (begin < 0) {
                return out;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new IllegalArgumentException("PEM BEGIN line is not closed");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd + 5);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block " + label + " has no END line");
            }
            pos = end + endLine.length();
            if (!List.of(labels).contains(label)) {
                continue;
            }
            if (out.size() == maxBlocks) {
                throw new IllegalArgumentException("more than " + maxBlocks + " PEM blocks");
            }
            String body = text.substring(labelEnd + 5, end);
            try {
                out.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block " + label + " is not valid base64", e);
            }
        }
    }

    /** The single block with one of {@code labels}. */
    static Block decodeOne(String text, String... labels) {
        List<Block> blocks = decodeAll(text, 1, labels);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no PEM block labelled " + String.join(" or ", labels));
        }
        return blocks.get(0);
    }

    /** Reads text of at most {@link #MAX_OBJECT_BYTES} times {@code maxObjects}, refusing larger inputs. */
    static String text(byte[] data, int maxObjects) {
        if (data.length > (long) MAX_OBJECT_BYTES * maxObjects) {
            throw new IllegalArgumentException("input of " + data.length + " bytes is larger than " + (MAX_OBJECT_BYTES * maxObjects));
        }
        return new String(data, StandardCharsets.US_ASCII);
    }

    record Block(String label, byte[] der) {}
}
