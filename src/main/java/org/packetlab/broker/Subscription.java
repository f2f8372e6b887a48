package org.packetlab.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.config.ChannelItem;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Channel;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xsub;

/**
 * What an endpoint subscribes with (spec/agents.md §C.2.4): one {@code xcert} per certificate of
 * its subscription chain, in configuration order, then one {@code xsub} of the channel list, the
 * endpoint-operator key and the endpoint attributes.
 *
 * @param chain    the {@code SubPrivCertChainPath} certificates, in configuration order
 *                 (typically one {@code subcmd}); empty for public channels only
 * @param channels the channel list
 * @param eopkey   the key whose key id is the AKID of the last listed certificate; empty = 32 zero bytes
 * @param dattr    the endpoint attributes ({@code EndpointAttr})
 */
public record Subscription(List<Cert> chain, ChannelList channels, Optional<Ed25519PublicKey> eopkey, NameValues dattr) {

    public Subscription {
        chain = List.copyOf(chain);
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(eopkey, "eopkey");
        Objects.requireNonNull(dattr, "dattr");
        if (dattr.syntax() != NameValues.Syntax.DATTR) {
            throw new IllegalArgumentException("a subscription carries a dattr, not a " + dattr.syntax());
        }
    }

    /**
     * The subscription the reference endpoint makes from its configuration (spec/agents.md §C.2.1).
     *
     * <p>With {@code autoExtractChannel}, the private channels are the AKIDs of the listed
     * certificates, in reverse list order. An empty {@code brokerChannel} subscribes to exactly
     * the private channels; otherwise each item in order: empty = all private channels, else its
     * hex-decoded id. The {@code eopkey} is the operator key whose key id equals the AKID of the
     * last listed certificate.
     *
     * @param subPrivCertChain   {@code SubPrivCertChainPath}, in order
     * @param operatorKeys       {@code EndpointOpPubKeyPath} keys
     * @param autoExtractChannel {@code AutoExtractChannel}
     * @param brokerChannel      {@code BrokerChannel} items
     * @param endpointAttr       {@code EndpointAttr} (empty when unset)
     * @throws IllegalArgumentException when there is nothing to subscribe to, private channels are
     *                                  asked for without auto-extraction, or no operator key signed
     *                                  the last certificate (the reference endpoint then cannot subscribe)
     */
    public static Subscription of(List<Cert> subPrivCertChain, List<Ed25519PublicKey> operatorKeys, boolean autoExtractChannel,
                                  List<ChannelItem> brokerChannel, NameValues endpointAttr) {
        List<Channel> privateChannels = new ArrayList<>();
        if (autoExtractChannel) {
            for (Cert c : subPrivCertChain.reversed()) {
                privateChannels.add(Channel.of(c.authorityKeyId().bytes()));
            }
        }
        List<Channel> channels = new ArrayList<>();
        if (brokerChannel.isEmpty()) {
            if (!autoExtractChannel) {
                throw new IllegalArgumentException("no BrokerChannel and AutoExtractChannel off: nothing to subscribe to");
            }
            channels.addAll(privateChannels);
        } else {
            for (ChannelItem item : brokerChannel) {
                if (!item.isDerived()) {
                    channels.add(Channel.of(item.id()));
                } else if (autoExtractChannel) {
                    channels.addAll(privateChannels);
                } else {
                    throw new IllegalArgumentException("an empty BrokerChannel item needs AutoExtractChannel 1");
                }
            }
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("the subscription has no channel: list certificates or public channels");
        }
        Optional<Ed25519PublicKey> eopkey = Optional.empty();
        if (!subPrivCertChain.isEmpty()) {
            KeyId signer = subPrivCertChain.getLast().authorityKeyId();
            eopkey = Optional.of(operatorKeys.stream().filter(k -> k.keyId().equals(signer)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no EndpointOpPubKeyPath key has the key id " + signer.hex()
                            + " that signed the last SubPrivCertChainPath certificate")));
        }
        return new Subscription(subPrivCertChain, new ChannelList(channels), eopkey, endpointAttr);
    }

    /** A subscription to public channels only, with no certificates. */
    public static Subscription publicChannels(List<Channel> channels, NameValues dattr) {
        return new Subscription(List.of(), new ChannelList(channels), Optional.empty(), dattr);
    }

    /** The {@code xcert} messages, in configuration order. */
    public List<Xcert> xcerts() {
        return chain.stream().map(c -> Xcert.of(c.der())).toList();
    }

    /** The {@code xsub} message. */
    public Xsub xsub() {
        return Xsub.of(channels, eopkey.map(Ed25519PublicKey::raw).orElseGet(() -> new byte[Xpub.KEY_LENGTH]), dattr);
    }
}
