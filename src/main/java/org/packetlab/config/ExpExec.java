package org.packetlab.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

/**
 * One {@code ExpExec} entry of {@code xpmgr.conf}: an experiment identity the manager offers to
 * endpoints, keyed by snikey (spec/config-files.md §2.4, agents.md §A.3).
 *
 * <pre>
 *   ExpExec IS_DEFAULT:SNIKEY:EXPPRIVCHAIN_PATH:TRUSTEDEOP_PATH:PUB_CHANNEL:OVERRIDE_XDESCRNVP
 *   ExpExec 1::/h/.pktlab/certs/exppriv_eop_exper.cert,/h/.pktlab/certs/pubcmd_exper_xc.cert:/h/.pktlab/keys/k_eop.pub::
 * </pre>
 *
 * The value is split at ':' into exactly six fields; the sixth takes the remainder, so it may hold
 * ':' itself, but paths in the first five fields cannot.
 *
 * @param isDefault      whether this entry also serves endpoints that send no SNI (at most one per file)
 * @param snikey         the SNI name endpoints ask for; empty = a random 63-character one at every start
 * @param expprivChain   the controller's certificates (any order; one has the controller key as subject)
 * @param trustedEop     EOp public keys: roots the chain must verify against, trusted roots for
 *                       endpoints, and the source of the key channel; empty = endpoints are not checked
 * @param pubChannel     channels to publish to; {@link ChannelItem#DERIVED} (or an empty list) = the key channel
 * @param overrideXdescr xdescr pairs added to or overriding the published descriptor (may hold wildcards)
 */
public record ExpExec(boolean isDefault, Optional<Snikey> snikey, List<Path> expprivChain, List<Path> trustedEop,
                      List<ChannelItem> pubChannel, NameValues overrideXdescr) {

    public ExpExec {
        Objects.requireNonNull(snikey, "snikey");
        expprivChain = List.copyOf(expprivChain);
        trustedEop = List.copyOf(trustedEop);
        pubChannel = List.copyOf(pubChannel);
        Objects.requireNonNull(overrideXdescr, "overrideXdescr");
        if (expprivChain.isEmpty()) {
            throw new IllegalArgumentException("ExpExec: EXPPRIVCHAIN_PATH must name at least one certificate");
        }
        if (overrideXdescr.syntax() != NameValues.Syntax.XDESCR) {
            throw new IllegalArgumentException("ExpExec: OVERRIDE_XDESCRNVP must be an xdescr, not " + overrideXdescr.syntax());
        }
        // an empty field and a single empty item both mean "the key channel": keep one form
        if (pubChannel.equals(List.of(ChannelItem.DERIVED))) {
            pubChannel = List.of();
        }
        if (trustedEop.isEmpty()
                && (pubChannel.isEmpty() || pubChannel.stream().anyMatch(c -> c.isDerived() || c.isPrivate()))) {
            throw new IllegalArgumentException("ExpExec: without TRUSTEDEOP_PATH there is no key channel, so PUB_CHANNEL"
                    + " must list only public channels (non-empty items shorter than 32 bytes)");
        }
        for (Path p : expprivChain) {
            checkWritable("EXPPRIVCHAIN_PATH", p);
        }
        for (Path p : trustedEop) {
            checkWritable("TRUSTEDEOP_PATH", p);
        }
    }

    private static void checkWritable(String field, Path p) {
        String s = p.toString();
        if (s.indexOf(':') >= 0 || s.indexOf(',') >= 0) {
            throw new IllegalArgumentException("ExpExec: " + field + " path " + s + " contains ':' or ',' and cannot be written");
        }
        Values.writable("ExpExec " + field, s);
    }

    /**
     * A non-default entry with a random snikey, publishing to the key channel, without overrides: the
     * shape of the entry the reference's init script writes, and of the tutorial's amendment.
     */
    public static ExpExec of(List<Path> expprivChain, List<Path> trustedEop) {
        return new ExpExec(false, Optional.empty(), expprivChain, trustedEop, List.of(), NameValues.empty(NameValues.Syntax.XDESCR));
    }

    /** A copy with IS_DEFAULT set as given. */
    public ExpExec withDefault(boolean isDefault) {
        return new ExpExec(isDefault, snikey, expprivChain, trustedEop, pubChannel, overrideXdescr);
    }

    /** A copy with a fixed snikey (null = random at every start). */
    public ExpExec withSnikey(Snikey snikey) {
        return new ExpExec(isDefault, Optional.ofNullable(snikey), expprivChain, trustedEop, pubChannel, overrideXdescr);
    }

    /** A copy publishing to the given channels. */
    public ExpExec withPubChannel(List<ChannelItem> pubChannel) {
        return new ExpExec(isDefault, snikey, expprivChain, trustedEop, pubChannel, overrideXdescr);
    }

    /** A copy with the given xdescr overrides. */
    public ExpExec withOverrideXdescr(NameValues overrideXdescr) {
        return new ExpExec(isDefault, snikey, expprivChain, trustedEop, pubChannel, overrideXdescr);
    }

    /**
     * Parses an {@code ExpExec} value, checking that every path names a regular file relative to the
     * working directory of the process.
     *
     * @throws IllegalArgumentException naming the field at fault
     */
    public static ExpExec parse(String value) {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            return read(value, new Option.Context() {
                @Override
                public Path workingDirectory() {
                    return cwd;
                }

                @Override
                public void warn(String problem) {
                    // no warnings are possible for ExpExec values
                }
            });
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static ExpExec read(String value, Option.Context context) throws InvalidValueException {
        String[] f = value.split(":", 6);
        if (f.length < 6) {
            throw new InvalidValueException("need six ':'-separated fields"
                    + " IS_DEFAULT:SNIKEY:EXPPRIVCHAIN_PATH:TRUSTEDEOP_PATH:PUB_CHANNEL:OVERRIDE_XDESCRNVP, found " + f.length);
        }
        boolean isDefault;
        try {
            isDefault = Values.bool(f[0]);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("IS_DEFAULT \"" + f[0] + "\" must be 0 or 1");
        }
        Optional<Snikey> snikey = Optional.empty();
        if (!f[1].isEmpty()) {
            if (!Snikey.isValid(f[1])) {
                throw new InvalidValueException("SNIKEY \"" + f[1] + "\" must be 1-63 characters from [a-z0-9] (lower case only)");
            }
            snikey = Optional.of(new Snikey(f[1]));
        }
        if (f[2].isEmpty()) {
            throw new InvalidValueException("EXPPRIVCHAIN_PATH is empty: name the certificates of the controller's chain");
        }
        List<Path> chain = field("EXPPRIVCHAIN_PATH", () -> Values.pathList(f[2], context));
        List<Path> eop = f[3].isEmpty() ? List.of() : field("TRUSTEDEOP_PATH", () -> Values.pathList(f[3], context));
        List<ChannelItem> channels = f[4].isEmpty() ? List.of() : field("PUB_CHANNEL", () -> Values.hexList(f[4]));
        NameValues xdescr;
        try {
            xdescr = NameValues.parse(f[5], NameValues.Syntax.XDESCR);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("OVERRIDE_XDESCRNVP: " + e.getMessage(), e);
        }
        try {
            return new ExpExec(isDefault, snikey, chain, eop, channels, xdescr);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage().replaceFirst("^ExpExec: ", ""), e);
        }
    }

    private interface FieldReader<T> {
        T read() throws InvalidValueException;
    }

    private static <T> T field(String name, FieldReader<T> reader) throws InvalidValueException {
        try {
            return reader.read();
        } catch (InvalidValueException e) {
            throw new InvalidValueException(name + ": " + e.getMessage(), e.getCause());
        }
    }

    /** The entry as the value of an {@code ExpExec} line. */
    @Override
    public String toString() {
        return (isDefault ? "1" : "0") + ":" + snikey.map(Snikey::value).orElse("") + ":"
                + Values.join(expprivChain) + ":" + Values.join(trustedEop) + ":" + Values.join(pubChannel) + ":"
                + overrideXdescr;
    }
}
