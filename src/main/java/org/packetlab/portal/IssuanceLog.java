package org.packetlab.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only record of every certificate a portal issued: one JSON object per line (serial,
 * subject key id, time, policy name and hash, type, validity, limits, requester, the certificate
 * itself). It is the portal's memory across restarts: issued certificates stay downloadable and
 * serial numbers never repeat.
 *
 * <h2>Serial numbers</h2>
 * A serial is 63 bits: a random 31-bit high part and, below it, a 32-bit sequence number one
 * above the highest in the log. The sequence alone makes serials unique as long as the log is
 * kept; the random part makes them unguessable (download addresses) and keeps a lost log from
 * producing the same serials again.
 *
 * <h2>Crash safety</h2>
 * A line is written in one write and forced to disk before the certificate is handed out, so
 * every certificate anybody holds is in the log. A crash mid-write leaves an unterminated last
 * line: that certificate was never handed out, and the line is cut off at the next start (logged).
 * Any other unreadable line stops the start: the log is damaged and serials can't be trusted.
 *
 * <h2>Must be closed</h2>
 * The log holds the file open and locked (one portal per log) until {@link #close()}.
 */
final class IssuanceLog implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(IssuanceLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest line read; a line holds one certificate of a few hundred bytes. */
    private static final int MAX_LINE = 64 * 1024;
    private static final long MAX_SEQUENCE = 0xffff_ffffL;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, Cert> certificates = new ConcurrentHashMap<>();
    private final Set<BigInteger> serials = new HashSet<>();
    private long highestSequence;

    private IssuanceLog(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Opens (creating) the log, reads every record, and locks it for this portal. */
    static IssuanceLog open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean created = !Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(file + " is in use by another portal");
            }
            if (created) {
                forceDirectory(dir);
            }
            IssuanceLog l = new IssuanceLog(file, ch, lock);
            l.load();
            return l;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void load() throws IOException {
        byte[] all = new byte[Math.toIntExact(Math.min(channel.size(), Integer.MAX_VALUE - 8))];
        ByteBuffer buf = ByteBuffer.wrap(all);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // positional reads until the buffer is full
        }
        int start = 0;
        int lineNo = 0;
        while (start < all.length) {
            int end = indexOf(all, (byte) '\n', start);
            lineNo++;
            if (end < 0) {
                // the write that a crash interrupted: never acknowledged, so nobody holds this certificate
                log.warn("{}: cutting off an unfinished last line ({} bytes) left by an interrupted write", file, all.length - start);
                channel.truncate(start);
                channel.force(true);
                return;
            }
            if (end - start > MAX_LINE) {
                throw new IOException(file + ":" + lineNo + ": line longer than " + MAX_LINE + " bytes: not an issuance log");
            }
            String line = new String(all, start, end - start, StandardCharsets.UTF_8);
            if (!line.isBlank()) {
                try {
                    remember(Entry.fromJson(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNo + ": not an issuance record (" + e.getMessage()
                            + "); repair or move the log before starting the portal", e);
                }
            }
            start = end + 1;
        }
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void remember(Entry e) {
        if (!serials.add(e.serial())) {
            throw new IllegalArgumentException("serial " + e.serial().toString(16) + " appears twice");
        }
        certificates.put(e.serial().toString(16), e.cert());
        highestSequence = Math.max(highestSequence, e.serial().longValue() & MAX_SEQUENCE);
    }

    /** A fresh serial: random high part, sequence one above the log's highest. Call under the issuer's lock. */
    synchronized BigInteger nextSerial(RandomGenerator random) {
        if (highestSequence == MAX_SEQUENCE) {
            throw new IllegalStateException(file + " has used every sequence number: start a new log");
        }
        BigInteger serial;
        do {
            long high = random.nextLong(1, 1L << 31);
            serial = BigInteger.valueOf(high << 32 | (highestSequence + 1));
        } while (serials.contains(serial));
        return serial;
    }

    /** Appends one record and forces it to disk; when this returns, the certificate may be handed out. */
    synchronized void append(Entry e) throws IOException {
        if (serials.contains(e.serial())) {
            throw new IllegalStateException("serial " + e.serial().toString(16) + " was issued before");
        }
        ByteBuffer line = ByteBuffer.wrap((e.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        long at = channel.size();
        while (line.hasRemaining()) {
            at += channel.write(line, at);
        }
        channel.force(false);
        remember(e);
    }

    /** The certificate issued with {@code serialHex} (lower-case hex), if any. */
    Optional<Cert> certificate(String serialHex) {
        return Optional.ofNullable(certificates.get(serialHex));
    }

    /** How many certificates the log records. */
    int size() {
        return certificates.size();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static void forceDirectory(Path dir) {
        // makes the new file's directory entry durable; not every platform can open a directory
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }

    /** One issued certificate, as recorded. */
    record Entry(Cert cert, Instant issuedAt, String policyName, String policySha256, InetAddress requester) {
        BigInteger serial() {
            return cert.serial();
        }

        String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("serial", cert.serial().toString(16));
            m.put("subject_key_id", cert.subjectKeyId().hex());
            m.put("issued_at", issuedAt.toString());
            m.put("policy", policyName);
            m.put("policy_sha256", policySha256);
            m.put("type", cert.type().token());
            if (!cert.delTypes().isEmpty()) {
                m.put("del_type", PortalPolicy.join(cert.delTypes()));
            }
            m.put("not_before", cert.notBefore().toString());
            m.put("not_after", cert.notAfter().toString());
            m.put("limits", cert.limits().pairs().toString());
            m.put("requester", requester == null ? "" : requester.getHostAddress());
            m.put("cert", Base64.getEncoder().encodeToString(cert.der()));
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads a record back; the certificate is decoded and must carry the recorded serial. */
        static Entry fromJson(String line) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
            }
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Cert cert;
            try {
                cert = Cert.parse(Base64.getDecoder().decode(text(n, "cert")));
            } catch (CertException e) {
                throw new IllegalArgumentException("its certificate does not decode: " + e.getMessage(), e);
            }
            if (!cert.serial().toString(16).equals(text(n, "serial"))) {
                throw new IllegalArgumentException("serial " + text(n, "serial") + " is not the certificate's " + cert.serial().toString(16));
            }
            Instant at;
            try {
                at = Instant.parse(text(n, "issued_at"));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("bad issued_at", e);
            }
            return new Entry(cert, at, text(n, "policy"), text(n, "policy_sha256"), null);
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual()) {
                throw new IllegalArgumentException("no \"" + field + "\"");
            }
            return v.asText();
        }
    }
}
