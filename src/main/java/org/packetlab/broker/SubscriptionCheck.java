package org.packetlab.broker;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.KeyId;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xsub;

/**
 * The validation of one {@code xsub}, in the order and with the codes of spec/broker.md §8.1
 * (step 1, well-formedness, and the dattr syntax of step 3 are the codec's).
 */
final class SubscriptionCheck {
    private SubscriptionCheck() {}

    /** What an accepted {@code xsub} asks for: its channels without duplicates (request order) and its attributes. */
    record Interest(Set<Channel> channels, NameValues dattr) {}

    static Checked<Interest> check(Xsub xsub, CertPool pool, Ed25519PublicKey clientKey, BrokerSettings settings) {
        List<Channel> channels = xsub.channels().channels();
        if (channels.isEmpty()) {
            return Checked.refused(Status.ESUBBADCHL, "xsub has an empty channel list");
        }
        int size = xsub.dattr().toString().length();
        if (size > settings.maxDescriptorBytes()) {
            return Checked.refused(Status.ESUBBADDA, "dattr of " + size + " bytes exceeds " + settings.maxDescriptorBytes());
        }
        if (channels.stream().anyMatch(Channel::isPrivate)) {
            byte[] eopkey = xsub.eopkey();
            if (PublicationCheck.isZero(eopkey)) {
                return Checked.refused(Status.ESUBBADCHN, "private channel without an eopkey (all zero)");
            }
            Verdict v = pool.verify(CertType.SUBCMD, VerifyMode.CONTROLLER_AUTH_ENDPOINT, clientKey,
                    Ed25519PublicKey.fromRaw(eopkey), settings.clock().instant());
            if (!(v instanceof Verdict.Verified verified)) {
                return Checked.refused(Status.ESUBBADCHN, "no subscription chain verifies against the eopkey "
                        + KeyIds.of(eopkey) + ": " + v.describe());
            }
            List<KeyId> entitled = verified.subscribableChannels();
            for (Channel c : channels) {
                if (c.isPrivate() && !entitled.contains(KeyId.of(c.id()))) {
                    return Checked.refused(Status.ESUBBADCHN, "private channel " + c + " is not among the chain's channels " + entitled);
                }
            }
        }
        for (Channel c : channels) {
            if (!c.isPrivate() && !settings.policy().allowsPublicChannel(BrokerPolicy.Role.SUBSCRIBER, clientKey, c)) {
                return Checked.refused(Status.ESUBBADCHN, "the broker's policy does not allow subscribing to public channel " + c);
            }
        }
        return Checked.ok(new Interest(new LinkedHashSet<>(channels), xsub.dattr()));
    }
}
