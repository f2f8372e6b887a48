package org.packetlab.broker;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.KeyId;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xpub;

/**
 * The validation of one {@code xpub}, in the order and with the codes of spec/broker.md §5.1
 * (step 1, well-formedness, is the codec's). A pure function of the request, the connection's
 * certificate pool, the client key and the time.
 */
final class PublicationCheck {
    private PublicationCheck() {}

    /**
     * What an accepted {@code xpub} offers.
     *
     * @param end pktlab time (unsigned) from which it is no longer delivered; {@link PktlabTime#MAX} = never
     */
    record Offer(List<Channel> channels, NameValues xdescr, long end) {
        OptionalLong endIfAny() {
            return end == PktlabTime.MAX ? OptionalLong.empty() : OptionalLong.of(end);
        }
    }

    static Checked<Offer> check(Xpub xpub, CertPool pool, Ed25519PublicKey clientKey, BrokerSettings settings) {
        List<Channel> channels = xpub.channels().channels();
        if (channels.isEmpty()) {
            return Checked.refused(Status.EPUBBADCHL, "xpub has an empty channel list");
        }
        NameValues xdescr = xpub.xdescr();
        int size = xdescr.toString().length();
        if (size > settings.maxDescriptorBytes()) {
            return Checked.refused(Status.EPUBBADXD, "xdescr of " + size + " bytes exceeds " + settings.maxDescriptorBytes());
        }
        List<String> addr = xdescr.getAll(DescriptorRules.CONTROLLER_ADDR);
        if (addr.size() != 1 || !DescriptorRules.isControllerAddr(addr.get(0))) {
            return Checked.refused(Status.EPUBBADADDR, addr.size() == 1 ? "controller_addr \"" + addr.get(0)
                    + "\" is not host, host:port or [v6]:port" : "xdescr has " + addr.size() + " controller_addr pairs, needs exactly 1");
        }
        List<String> sni = xdescr.getAll(DescriptorRules.SNI_KEY);
        if (sni.size() > 1 || (sni.size() == 1 && !Snikey.isValid(sni.get(0)))) {
            return Checked.refused(Status.EPUBBADXD, sni.size() > 1 ? "xdescr has " + sni.size() + " sni_key pairs"
                    : "sni_key \"" + sni.get(0) + "\" is not 1-63 characters of [a-z0-9]");
        }
        List<String> pubEnd = xdescr.getAll(DescriptorRules.PUB_END);
        if (pubEnd.size() > 1 || (pubEnd.size() == 1 && !DescriptorRules.isU64(pubEnd.get(0)))) {
            return Checked.refused(Status.EPUBBADXD, pubEnd.size() > 1 ? "xdescr has " + pubEnd.size() + " pub_end pairs"
                    : "pub_end \"" + pubEnd.get(0) + "\" is not a decimal pktlab time");
        }
        List<String> priority = xdescr.getAll(DescriptorRules.EXP_PRIORITY);
        if (priority.size() > 1 || (priority.size() == 1 && !DescriptorRules.isPriority(priority.get(0)))) {
            return Checked.refused(Status.EPUBBADPR, priority.size() > 1 ? "xdescr has " + priority.size() + " exp_priority pairs"
                    : "exp_priority \"" + priority.get(0) + "\" is not a decimal 0.." + DescriptorRules.MAX_PRIORITY);
        }
        long end = pubEnd.isEmpty() ? PktlabTime.MAX : Long.parseUnsignedLong(pubEnd.get(0));

        if (channels.stream().anyMatch(Channel::isPrivate)) {
            byte[] eopkey = xpub.eopkey();
            if (isZero(eopkey)) {
                return Checked.refused(Status.EPUBBADCHN, "private channel without an eopkey (all zero)");
            }
            Verdict v = pool.verify(CertType.PUBCMD, VerifyMode.ENDPOINT_AUTH_CONTROLLER, clientKey,
                    Ed25519PublicKey.fromRaw(eopkey), settings.clock().instant());
            if (!(v instanceof Verdict.Verified verified)) {
                return Checked.refused(Status.EPUBBADCHN, "no publication chain verifies against the eopkey "
                        + KeyIds.of(eopkey) + ": " + v.describe());
            }
            KeyId publishable = verified.publishableChannel();
            for (Channel c : channels) {
                if (c.isPrivate() && !Arrays.equals(c.id(), publishable.bytes())) {
                    return Checked.refused(Status.EPUBBADCHN, "private channel " + c + " is not the chain's channel " + publishable.hex());
                }
            }
            OptionalLong cap = maxPriority(verified.chain());
            if (priority.size() == 1 && cap.isPresent() && Long.compareUnsigned(Long.parseLong(priority.get(0)), cap.getAsLong()) > 0) {
                return Checked.refused(Status.EPUBBADPR, "exp_priority " + priority.get(0) + " exceeds the chain's max_num_priority "
                        + Long.toUnsignedString(cap.getAsLong()));
            }
            end = DescriptorRules.earlier(end, DescriptorRules.chainEnd(verified.chain()));
        }
        for (Channel c : channels) {
            if (!c.isPrivate() && !settings.policy().allowsPublicChannel(BrokerPolicy.Role.PUBLISHER, clientKey, c)) {
                return Checked.refused(Status.EPUBBADCHN, "the broker's policy does not allow publishing to public channel " + c);
            }
        }
        return Checked.ok(new Offer(channels, xdescr, end));
    }

    /** The smallest max_num_priority of the chain (unsigned), if any certificate sets one. */
    private static OptionalLong maxPriority(List<Cert> chain) {
        OptionalLong min = OptionalLong.empty();
        for (Cert c : chain) {
            OptionalLong limit = c.limits().maxNumPriority();
            if (limit.isPresent() && (min.isEmpty() || Long.compareUnsigned(limit.getAsLong(), min.getAsLong()) < 0)) {
                min = limit;
            }
        }
        return min;
    }

    static boolean isZero(byte[] key) {
        for (byte b : key) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
