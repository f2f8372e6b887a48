package org.packetlab.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.packetlab.config.HomeStatus.Kind;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.KeyId;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;

/** Builds the status rows of a home ({@link PktlabHome#status}); one pass, never throws for a bad file. */
final class HomeStatusReader {
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private final PktlabHome home;
    private final Instant now;
    private final Map<KeyId, String> names = new HashMap<>();
    private final Map<KeyId, Ed25519PublicKey> keys = new HashMap<>();
    private final List<HomeStatus> rows = new ArrayList<>();

    HomeStatusReader(PktlabHome home, Instant now) {
        this.home = home;
        this.now = now;
    }

    List<HomeStatus> read() {
        keys();
        certificates();
        requests();
        configs();
        privileges();
        return List.copyOf(rows);
    }

    private void add(Kind kind, String name, Path file, KeyId keyId, CertType type, Instant from, Instant until,
                     String detail, List<String> problems) {
        rows.add(new HomeStatus(kind, name, file, Optional.ofNullable(keyId), Optional.ofNullable(type),
                Optional.ofNullable(from), Optional.ofNullable(until), detail, problems));
    }

    private List<Path> files(Path dir, Kind kind) {
        try {
            return PktlabHome.files(dir);
        } catch (IOException e) {
            add(kind, dir.getFileName().toString(), dir, null, null, null, null, "directory",
                    List.of("cannot list the directory: " + e.getMessage()));
            return List.of();
        }
    }

    private void keys() {
        List<Path> all = files(home.keysDir(), Kind.PUBLIC_KEY);
        for (Path p : all) {
            String f = p.getFileName().toString();
            if (f.endsWith(".pub")) {
                try {
                    Ed25519PublicKey k = Ed25519PublicKey.read(p);
                    names.putIfAbsent(k.keyId(), f.substring(0, f.length() - 4));
                    keys.putIfAbsent(k.keyId(), k);
                } catch (IOException e) {
                    // reported by the public key's own row below
                    continue;
                }
            }
        }
        for (String k : PktlabHome.initKeyNames()) {
            if (!Files.exists(home.privateKeyFile(k))) {
                add(Kind.PRIVATE_KEY, k, home.privateKeyFile(k), null, null, null, null, "", List.of("missing"));
            }
        }
        for (Path p : all) {
            String f = p.getFileName().toString();
            if (f.endsWith(".pub")) {
                publicKeyRow(p, f.substring(0, f.length() - 4));
            } else {
                privateKeyRow(p, f);
            }
        }
    }

    private void publicKeyRow(Path p, String name) {
        try {
            KeyId id = Ed25519PublicKey.read(p).keyId();
            add(Kind.PUBLIC_KEY, name, p, id, null, null, null, role(name), List.of());
        } catch (IOException e) {
            add(Kind.PUBLIC_KEY, name, p, null, null, null, null, role(name), List.of("unreadable: " + e.getMessage()));
        }
    }

    private void privateKeyRow(Path p, String name) {
        List<String> problems = new ArrayList<>();
        String detail = role(name);
        KeyId id = null;
        try {
            if (Files.getFileAttributeView(p, PosixFileAttributeView.class) != null) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (perms.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
                    problems.add("readable by others (" + PosixFilePermissions.toString(perms)
                            + "): chmod 600 " + p);
                }
            }
            String pem = Files.readString(p, StandardCharsets.US_ASCII);
            Path pub = p.resolveSibling(name + ".pub");
            if (Ed25519PrivateKey.isEncryptedPem(pem)) {
                detail = role(name) + ", encrypted";
                if (Files.exists(pub)) {
                    id = Ed25519PublicKey.read(pub).keyId();
                }
            } else {
                id = Ed25519PrivateKey.read(p).keyId();
                if (Files.exists(pub) && !Ed25519PublicKey.read(pub).keyId().equals(id)) {
                    problems.add(pub.getFileName() + " is not the public half of this key");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add("unreadable: " + e.getMessage());
        }
        add(Kind.PRIVATE_KEY, name, p, id, null, null, null, detail, problems);
    }

    /** Who a key of the home's naming scheme belongs to. */
    static String role(String name) {
        return switch (name) {
            case PktlabHome.K_EXPER -> "experimenter";
            case PktlabHome.K_XC -> "experiment controller (manager)";
            case PktlabHome.K_EOP -> "endpoint operator (you)";
            case PktlabHome.K_EP -> "endpoint";
            case PktlabHome.CAIDA_K_BOP -> "CAIDA broker operator";
            default -> name.endsWith("_k_eop") ? "endpoint operator " + name.substring(0, name.length() - 6) : "";
        };
    }

    private String nameOf(KeyId id) {
        String n = names.get(id);
        return n != null ? n : "key " + id.hex().substring(0, 16) + "…";
    }

    private void certificates() {
        for (String c : PktlabHome.initCertNames()) {
            if (!Files.exists(home.certFile(c))) {
                add(Kind.CERTIFICATE, c, home.certFile(c), null, null, null, null, "", List.of("missing"));
            }
        }
        for (Path p : files(home.certsDir(), Kind.CERTIFICATE)) {
            String f = p.getFileName().toString();
            List<Cert> certs;
            try {
                certs = Cert.readAll(p);
            } catch (IOException | CertException e) {
                add(Kind.CERTIFICATE, f, p, null, null, null, null, "", List.of("does not decode: " + e.getMessage()));
                continue;
            }
            for (int i = 0; i < certs.size(); i++) {
                certificateRow(certs.size() == 1 ? f : f + "#" + (i + 1), p, certs.get(i));
            }
        }
    }

    private void certificateRow(String name, Path file, Cert c) {
        List<String> problems = new ArrayList<>(validityProblems(c.notBefore(), c.notAfter()));
        Ed25519PublicKey signer = keys.get(c.authorityKeyId());
        if (signer != null && !c.isSignedBy(signer)) {
            problems.add("signature does not verify with " + nameOf(c.authorityKeyId()) + ".pub");
        }
        String detail = "for " + nameOf(c.subjectKeyId()) + ", signed by " + nameOf(c.authorityKeyId());
        add(Kind.CERTIFICATE, name, file, c.subjectKeyId(), c.type(), c.notBefore(), c.notAfter(), detail, problems);
    }

    private List<String> validityProblems(Instant from, Instant until) {
        if (now.isBefore(from)) {
            return List.of("not valid before " + from);
        }
        if (now.isAfter(until)) {
            return List.of("expired on " + until);
        }
        return List.of();
    }

    private void requests() {
        for (Path p : files(home.csrsDir(), Kind.CSR)) {
            String f = p.getFileName().toString();
            try {
                Csr csr = Csr.read(p);
                String what = csr.type().token() + (csr.delTypes().isEmpty() ? "" : " " + csr.delTypes());
                add(Kind.CSR, f, p, csr.subject().keyId(), csr.type(), null, null,
                        "asks for " + what + " for " + nameOf(csr.subject().keyId()), List.of());
            } catch (IOException | CertException e) {
                add(Kind.CSR, f, p, null, null, null, null, "", List.of("does not decode: " + e.getMessage()));
            }
        }
    }

    private void configs() {
        configRow(PktlabHome.XPMGR_CONF, home.xpmgrConfFile(), true);
        configRow(PktlabHome.XPMGR_PROXY_CONF, home.xpmgrProxyConfFile(), true);
        configRow(PktlabHome.ENDPT_CONF, home.endptConfFile(), false);
    }

    private void configRow(String name, Path file, boolean manager) {
        if (!Files.exists(file)) {
            add(Kind.CONFIG, name, file, null, null, null, null, "", List.of("missing"));
            return;
        }
        try {
            LoadedConfig<?> loaded;
            String detail;
            if (manager) {
                LoadedConfig<XpmgrConf> l = XpmgrConf.load(file);
                XpmgrConf c = l.config();
                detail = (c.enableProxyMode() ? "proxy mode" : "listen mode") + ", publication "
                        + (c.enableExpPublication() ? "on" : "off") + ", " + c.expExec().size() + " ExpExec";
                loaded = l;
            } else {
                LoadedConfig<EndptConf> l = EndptConf.load(file);
                EndptConf c = l.config();
                detail = c.noSubMode() ? "NoSubMode (one local experiment)" : "subscribes to a broker";
                loaded = l;
            }
            add(Kind.CONFIG, name, file, null, null, null, null, detail,
                    loaded.warnings().stream().map(w -> "warning: line " + w.line() + ": " + w.key() + ": " + w.problem()).toList());
        } catch (ConfigException e) {
            add(Kind.CONFIG, name, file, null, null, null, null, "", List.of(e.describeInFile()));
        }
    }

    private void privileges() {
        LoadedConfig<XpmgrConf> loaded;
        try {
            loaded = XpmgrConf.load(home.xpmgrConfFile());
        } catch (ConfigException e) {
            return; // the config row already says why
        }
        XpmgrConf conf = loaded.config();
        KeyId controller = null;
        String controllerProblem = null;
        try {
            controller = Ed25519PrivateKey.read(conf.controllerPrivkeyPath()).keyId();
        } catch (IOException | IllegalArgumentException e) {
            controllerProblem = "cannot read the controller key to find the chain's leaf: " + e.getMessage();
        }
        List<ExpExec> entries = conf.expExec();
        List<Integer> lines = loaded.lines("ExpExec");
        for (int i = 0; i < entries.size(); i++) {
            privilegeRow(loaded.file(), lines.get(i), entries.get(i), controller, controllerProblem);
        }
    }

    private void privilegeRow(Path conf, int line, ExpExec e, KeyId controller, String controllerProblem) {
        String name = e.snikey().map(Object::toString).orElse("(random snikey)");
        StringBuilder detail = new StringBuilder(conf.getFileName() + " line " + line + (e.isDefault() ? ", default" : ""));
        List<String> problems = new ArrayList<>();
        List<Cert> chain = new ArrayList<>();
        List<Ed25519PublicKey> roots = new ArrayList<>();
        try {
            for (Path p : e.expprivChain()) {
                chain.addAll(Cert.readAll(p));
            }
            for (Path p : e.trustedEop()) {
                roots.add(Ed25519PublicKey.read(p));
            }
        } catch (IOException | CertException ex) {
            problems.add("cannot load: " + ex.getMessage());
        }
        Path top = e.expprivChain().get(0);
        KeyId operator = null;
        Instant from = null;
        Instant until = null;
        if (problems.isEmpty()) {
            if (controller == null) {
                problems.add(controllerProblem);
            } else if (chain.stream().noneMatch(c -> c.subjectKeyId().equals(controller))) {
                problems.add("no certificate of the chain is for the controller key " + nameOf(controller));
            } else {
                // the manager puts the certificate for its own key first (agents.md §A.3)
                chain.sort((a, b) -> Boolean.compare(!a.subjectKeyId().equals(controller), !b.subjectKeyId().equals(controller)));
                Verdict v = ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, roots).verify(chain, now);
                switch (v) {
                    case Verdict.Verified ok -> {
                        Cert exppriv = ok.top();
                        operator = exppriv.authorityKeyId();
                        detail.append(", granted by ").append(nameOf(operator));
                        if (roots.isEmpty()) {
                            detail.append(", no trusted operator keys: endpoints are not checked");
                        }
                        from = ok.chain().stream().map(Cert::notBefore).max(Instant::compareTo).orElseThrow();
                        until = ok.chain().stream().map(Cert::notAfter).min(Instant::compareTo).orElseThrow();
                        top = e.expprivChain().stream().filter(p -> isFileOf(p, exppriv)).findFirst().orElse(top);
                    }
                    case Verdict.Rejected no -> problems.add("chain does not verify: " + no.describe());
                }
            }
        }
        add(Kind.PRIVILEGE, name, top, operator, CertType.EXPPRIV, from, until, detail.toString(), problems);
    }

    private static boolean isFileOf(Path p, Cert c) {
        try {
            return Cert.readAll(p).contains(c);
        } catch (IOException | CertException e) {
            // it was read a moment ago; a file changing under us only loses the nicer file name
            return false;
        }
    }
}
