package org.packetlab.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.config.ChannelItem;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Channel;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;

/**
 * What a manager publishes for one {@code ExpExec} entry (spec/agents.md §B.2–§B.5): the
 * certificates of the entry's verified chain (sent with {@code xcert}, leaf first), then one
 * {@code xpub} of the channel list, the endpoint-operator key and the experiment descriptor.
 *
 * @param chain    the verified controller chain, leaf first ({@code pubcmd}, {@code delpriv}…,
 *                 {@code exppriv}); empty when the entry has no trusted EOp keys
 * @param channels the channel list, in order
 * @param eopkey   the EOp root that verified the chain; empty = 32 zero bytes on the wire
 * @param xdescr   the descriptor, e.g. from {@link ExperimentDescriptor}
 */
public record Publication(List<Cert> chain, ChannelList channels, Optional<Ed25519PublicKey> eopkey, NameValues xdescr) {

    public Publication {
        chain = List.copyOf(chain);
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(eopkey, "eopkey");
        Objects.requireNonNull(xdescr, "xdescr");
        if (xdescr.syntax() != NameValues.Syntax.XDESCR) {
            throw new IllegalArgumentException("a publication carries an xdescr, not a " + xdescr.syntax());
        }
    }

    /**
     * The publication of one {@code ExpExec} entry, as the reference manager builds it.
     *
     * <p>The channel list follows {@code PUB_CHANNEL} (§B.3): no items = the single key channel;
     * an empty item = the key channel; any other item = its hex-decoded bytes. The key channel is
     * the key id of the EOp root that verified the chain (the exppriv's AKID), and that root is
     * the {@code eopkey} (§B.4).
     *
     * @param verified   the entry's chain verified in ENDPOINT_AUTH_CONTROLLER mode against its
     *                   trusted EOp keys; empty when the entry has none (then only public
     *                   channels can be published, with an all-zero eopkey)
     * @param pubChannel the entry's {@code PUB_CHANNEL} items
     * @param xdescr     the descriptor
     * @throws IllegalArgumentException when a key channel or a private channel is asked for
     *                                  without a chain verified against a root
     */
    public static Publication of(Optional<Verdict.Verified> verified, List<ChannelItem> pubChannel, NameValues xdescr) {
        Optional<Ed25519PublicKey> root = Optional.empty();
        if (verified.isPresent()) {
            Verdict.Verified v = verified.get();
            if (v.mode() != VerifyMode.ENDPOINT_AUTH_CONTROLLER) {
                throw new IllegalArgumentException("publication needs a controller chain, not a " + v.mode() + " one");
            }
            root = Optional.of(v.root().orElseThrow(() -> new IllegalArgumentException(
                    "the chain was verified without a trusted EOp key: there is no key channel and no eopkey")));
        }
        List<Channel> channels = new ArrayList<>();
        List<ChannelItem> items = pubChannel.isEmpty() ? List.of(ChannelItem.DERIVED) : pubChannel;
        for (ChannelItem item : items) {
            if (item.isDerived() || item.isPrivate()) {
                if (root.isEmpty()) {
                    throw new IllegalArgumentException("PUB_CHANNEL item \"" + item + "\" is private, which needs trusted EOp keys");
                }
            }
            channels.add(item.isDerived() ? Channel.of(root.get().keyId().bytes()) : Channel.of(item.id()));
        }
        return new Publication(verified.map(Verdict.Verified::chain).orElse(List.of()), new ChannelList(channels), root, xdescr);
    }

    /** The {@code xcert} messages, leaf first. */
    public List<Xcert> xcerts() {
        return chain.stream().map(c -> Xcert.of(c.der())).toList();
    }

    /** The {@code xpub} message. */
    public Xpub xpub() {
        return Xpub.of(channels, eopkey.map(Ed25519PublicKey::raw).orElseGet(() -> new byte[Xpub.KEY_LENGTH]), xdescr);
    }
}
