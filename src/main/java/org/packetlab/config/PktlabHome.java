package org.packetlab.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Snikey;

/**
 * A PacketLab home: the {@code ~/.pktlab} directory (or any directory) holding an experimenter's and
 * an endpoint operator's keys, certificates, CSRs and the agents' configuration files, with the
 * names and layout of the reference's {@code pktlab_init} (spec/config-files.md §4,
 * certificates.md §8).
 *
 * <pre>
 *   DIR/keys/      (0700)  k_exper k_xc k_eop k_ep (0600) + NAME.pub, caida_k_bop.pub
 *   DIR/certs/     (0700)  agent_xc_xc agent_ep_ep exppriv_eop_exper pubcmd_exper_xc subcmd_eop_ep (.cert)
 *   DIR/csrs/              exppriv_exper delpriv_exp_exper delpriv_rep_eop (.csr, PKCS#10)
 *   DIR/progs/             monitor programs (ProgramDirPath)
 *   DIR/xpmgr.conf  DIR/xpmgr.proxy.conf  DIR/endpt.conf
 * </pre>
 *
 * <p>{@link #init} fills a home so that a local experiment (manager and endpoint on this machine)
 * works without edits: publication is off, the endpoint runs in NoSubMode against 127.0.0.1, and the
 * broker options are left as commented lines explaining how to turn them on. Private keys are
 * written unencrypted, owner-only.
 *
 * <p>Differences from the reference: no {@code ppks_conf} or ppksman state database is written
 * (agents never read them); CSRs are PKCS#10 rather than CRMF; {@code progs/} starts empty.
 */
public final class PktlabHome {
    /** Experimenter key. */
    public static final String K_EXPER = "k_exper";
    /** Experiment controller (manager) key. */
    public static final String K_XC = "k_xc";
    /** Endpoint operator key. */
    public static final String K_EOP = "k_eop";
    /** Measurement endpoint key. */
    public static final String K_EP = "k_ep";
    /** CAIDA's broker operator public key, shipped with PacketLab. */
    public static final String CAIDA_K_BOP = "caida_k_bop";
    /** The local broker's key ({@code pktlab broker}, embedded labs). */
    public static final String K_BRK = "k_brk";
    /** The local broker operator key, which signs the broker's agent certificate. */
    public static final String K_BOP = "k_bop";
    /** The local broker's agent certificate (k_brk signed by k_bop). */
    public static final String AGENT_BOP_BRK = "agent_bop_brk.cert";

    public static final String AGENT_XC_XC = "agent_xc_xc.cert";
    public static final String AGENT_EP_EP = "agent_ep_ep.cert";
    public static final String EXPPRIV_EOP_EXPER = "exppriv_eop_exper.cert";
    public static final String PUBCMD_EXPER_XC = "pubcmd_exper_xc.cert";
    public static final String SUBCMD_EOP_EP = "subcmd_eop_ep.cert";

    public static final String EXPPRIV_EXPER_CSR = "exppriv_exper.csr";
    public static final String DELPRIV_EXP_EXPER_CSR = "delpriv_exp_exper.csr";
    public static final String DELPRIV_REP_EOP_CSR = "delpriv_rep_eop.csr";

    /** The proxy's key ({@code pktlab proxy}, the lab's proxy), made on first use by {@link #ensureProxyCredentials()}. */
    public static final String K_PRX = "k_prx";
    /** The proxy's self-signed agent certificate, made with {@link #K_PRX}. */
    public static final String AGENT_PRX_PRX = "agent_prx_prx.cert";

    public static final String XPMGR_CONF = "xpmgr.conf";
    public static final String XPMGR_PROXY_CONF = "xpmgr.proxy.conf";
    public static final String ENDPT_CONF = "endpt.conf";

    /** Validity of the certificates {@link #init} signs, as the reference's: the Unix epoch ... */
    public static final Instant INIT_VALID_FROM = Instant.EPOCH;
    /** ... to 2038-01-19T03:14:07Z (2^31-1 seconds). */
    public static final Instant INIT_VALID_UNTIL = Instant.ofEpochSecond(Integer.MAX_VALUE);

    /** Where CAIDA's broker runs; written as a commented-out suggestion only (tests never resolve it). */
    static final String CAIDA_BROKER = "pktbrokr.caida.org";
    private static final List<String> INIT_KEYS = List.of(K_EXPER, K_XC, K_EOP, K_EP);
    private static final Pattern PRIVILEGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;

    private PktlabHome(Path dir) {
        this.dir = dir;
    }

    /** The home in {@code dir} (which need not exist yet). */
    public static PktlabHome at(Path dir) {
        return new PktlabHome(Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize());
    }

    /** The default home, {@link #defaultDirectory()}. */
    public static PktlabHome atDefault() {
        return at(defaultDirectory());
    }

    /** {@code $HOME/.pktlab}, or {@code .pktlab} in the user's home from the password database when HOME is unset. */
    public static Path defaultDirectory() {
        String home = System.getenv("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".pktlab");
    }

    /**
     * Initialises the default home, as the DESIGN's {@code PktlabHome.init()} reads.
     *
     * @throws IOException as {@link #init(boolean)} without force
     */
    public static PktlabHome init() throws IOException {
        PktlabHome home = atDefault();
        home.init(false);
        return home;
    }

    public Path dir() {
        return dir;
    }

    public Path keysDir() {
        return dir.resolve("keys");
    }

    public Path certsDir() {
        return dir.resolve("certs");
    }

    public Path csrsDir() {
        return dir.resolve("csrs");
    }

    public Path progsDir() {
        return dir.resolve("progs");
    }

    /** {@code keys/NAME}: a private key. */
    public Path privateKeyFile(String name) {
        return keysDir().resolve(fileName(name));
    }

    /** {@code keys/NAME.pub}: a public key. */
    public Path publicKeyFile(String name) {
        return keysDir().resolve(fileName(name) + ".pub");
    }

    /** {@code certs/FILE}, e.g. {@code certs/pubcmd_exper_xc.cert}. */
    public Path certFile(String fileName) {
        return certsDir().resolve(fileName(fileName));
    }

    /** {@code csrs/FILE}, e.g. {@code csrs/exppriv_exper.csr}. */
    public Path csrFile(String fileName) {
        return csrsDir().resolve(fileName(fileName));
    }

    public Path xpmgrConfFile() {
        return dir.resolve(XPMGR_CONF);
    }

    public Path xpmgrProxyConfFile() {
        return dir.resolve(XPMGR_PROXY_CONF);
    }

    public Path endptConfFile() {
        return dir.resolve(ENDPT_CONF);
    }

    private static String fileName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not a plain file name");
        }
        return name;
    }

    /** Whether the four private keys of {@link #init} exist. */
    public boolean isInitialized() {
        return INIT_KEYS.stream().allMatch(k -> Files.exists(privateKeyFile(k)));
    }

    /**
     * Creates the home: directories, the four key pairs, CAIDA's broker operator key, the five
     * certificates (valid 1970 to 2038, no limits), the three CSRs and the three configuration
     * files, every path in them absolute.
     *
     * <p>Without {@code force} nothing is overwritten: if any of these files exists, nothing is
     * created and the error names that file. With {@code force} they are all replaced (privileges
     * added later under other names are kept). If a step fails, what this call created is removed.
     *
     * @return the files and directories created or replaced, in creation order
     * @throws FileAlreadyExistsException naming the first existing file, without {@code force}
     */
    public List<Path> init(boolean force) throws IOException {
        if (!force) {
            for (Path p : initTargets()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(p.toString(), null,
                            "already exists; pktlab init never overwrites keys or certificates without --force");
                }
            }
        }
        List<Path> created = new ArrayList<>();
        try {
            createDirectory(dir, null, created);
            createDirectory(keysDir(), OWNER_ONLY_DIR, created);
            createDirectory(certsDir(), OWNER_ONLY_DIR, created);
            createDirectory(csrsDir(), null, created);
            createDirectory(progsDir(), null, created);
            Map<String, Ed25519PrivateKey> keys = new HashMap<>();
            for (String name : INIT_KEYS) {
                Ed25519PrivateKey key = Ed25519PrivateKey.generate();
                keys.put(name, key);
                key.write(privateKeyFile(name), force);
                created.add(privateKeyFile(name));
                writeFile(publicKeyFile(name), key.publicKey().pem(), OWNER_ONLY_FILE, force, created);
            }
            writeFile(publicKeyFile(CAIDA_K_BOP), resource(CAIDA_K_BOP + ".pub"), OWNER_ONLY_FILE, force, created);

            Ed25519PrivateKey exper = keys.get(K_EXPER);
            Ed25519PrivateKey xc = keys.get(K_XC);
            Ed25519PrivateKey eop = keys.get(K_EOP);
            Ed25519PrivateKey ep = keys.get(K_EP);
            writeCert(AGENT_XC_XC, initValidity(Cert.agent()).subject(xc.publicKey()).signWith(xc), force, created);
            writeCert(AGENT_EP_EP, initValidity(Cert.agent()).subject(ep.publicKey()).signWith(ep), force, created);
            writeCert(EXPPRIV_EOP_EXPER, initValidity(Cert.exppriv()).subject(exper.publicKey()).signWith(eop), force, created);
            writeCert(PUBCMD_EXPER_XC, initValidity(Cert.pubcmd()).subject(xc.publicKey()).signWith(exper), force, created);
            writeCert(SUBCMD_EOP_EP, initValidity(Cert.subcmd()).subject(ep.publicKey()).signWith(eop), force, created);

            writeFile(csrFile(EXPPRIV_EXPER_CSR), Csr.exppriv().signWith(exper).pem(), READABLE_FILE, force, created);
            writeFile(csrFile(DELPRIV_EXP_EXPER_CSR), Csr.delpriv(DelType.EXPPRIV).signWith(exper).pem(), READABLE_FILE, force,
                    created);
            writeFile(csrFile(DELPRIV_REP_EOP_CSR), Csr.delpriv(DelType.REPPRIV).signWith(eop).pem(), READABLE_FILE, force,
                    created);

            XpmgrConf passive = initialXpmgrConf();
            writeFile(xpmgrConfFile(), xpmgrText(passive, false), READABLE_FILE, force, created);
            XpmgrConf proxy = passive.newBuilder().enableProxyMode(true)
                    .backlogConnAgentCertPath(certFile(AGENT_XC_XC)).build();
            writeFile(xpmgrProxyConfFile(), xpmgrText(proxy, true), READABLE_FILE, force, created);
            writeFile(endptConfFile(), endptText(initialEndptConf()), READABLE_FILE, force, created);
        } catch (IOException | RuntimeException e) {
            removeCreated(created, e);
            throw e;
        }
        return List.copyOf(created);
    }

    /** Every file init writes, keys first. */
    private List<Path> initTargets() {
        List<Path> t = new ArrayList<>();
        for (String k : INIT_KEYS) {
            t.add(privateKeyFile(k));
            t.add(publicKeyFile(k));
        }
        t.add(publicKeyFile(CAIDA_K_BOP));
        initCertNames().forEach(c -> t.add(certFile(c)));
        initCsrNames().forEach(c -> t.add(csrFile(c)));
        t.addAll(List.of(xpmgrConfFile(), xpmgrProxyConfFile(), endptConfFile()));
        return t;
    }

    private static Cert.Builder initValidity(Cert.Builder b) {
        return b.validFrom(INIT_VALID_FROM).validUntil(INIT_VALID_UNTIL);
    }

    private void writeCert(String name, Cert cert, boolean force, List<Path> created) throws IOException {
        writeFile(certFile(name), cert.pem(), OWNER_ONLY_FILE, force, created);
    }

    /** The manager configuration init writes: local, passive, publication off (spec/config-files.md §4.3 otherwise). */
    XpmgrConf initialXpmgrConf() {
        return XpmgrConf.builder()
                .enableExpPublication(false)
                .pubAgentCertPath(certFile(AGENT_XC_XC))
                .brokerCertRootPath(List.of(publicKeyFile(CAIDA_K_BOP)))
                .pubPeriod(XpmgrConf.ONE_YEAR)
                .controllerPrivkeyPath(privateKeyFile(K_XC))
                .addExpExec(ExpExec.of(List.of(certFile(EXPPRIV_EOP_EXPER), certFile(PUBCMD_EXPER_XC)),
                        List.of(publicKeyFile(K_EOP))).withDefault(true))
                .programDirPath(progsDir())
                .build();
    }

    /** The endpoint configuration init writes: NoSubMode against a local manager, loopback addresses only. */
    EndptConf initialEndptConf() {
        return EndptConf.builder()
                .transprotoSup(Set.of(EndptConf.Transport.TCP, EndptConf.Transport.UDP))
                .vmemLocalAddrIPv4(List.of("127.0.0.1/8"))
                .hostId("pktendpt")
                .autoExtractChannel(true)
                .endpointAgentCertPath(certFile(AGENT_EP_EP))
                .brokerChainRootPath(List.of(publicKeyFile(CAIDA_K_BOP)))
                .endpointOpPubKeyPath(List.of(publicKeyFile(K_EOP)))
                .subPrivCertChainPath(List.of(certFile(SUBCMD_EOP_EP)))
                .controllerCertChainPath(List.of(certFile(SUBCMD_EOP_EP)))
                .endpointPrivKey(privateKeyFile(K_EP))
                .rlimDbPath(dir.resolve("endpt.rlim"))
                .noSubMode(true)
                .build();
    }

    private static String xpmgrText(XpmgrConf conf, boolean proxy) {
        return ConfigText.of(conf).suggest("BrokerAddr", CAIDA_BROKER).comment("""
                Written by `pktlab init`. As written, the manager works for local experiments: it listens for
                endpoints%s and does not publish.
                To publish through a broker instead, set EnableExpPublication 1 and uncomment BrokerAddr
                (pktbrokr.caida.org is CAIDA's broker; PacketLab for Java will ship its own).
                Privileges received from endpoint operators are added with `pktlab privileges add`, which
                appends an ExpExec line below."""
                .formatted(proxy ? " through the proxy given with -a" : "")).toString();
    }

    private static String endptText(EndptConf conf) {
        return ConfigText.of(conf).suggest("BrokerAddr", CAIDA_BROKER).comment("""
                Written by `pktlab init`. As written, the endpoint serves one local experiment: NoSubMode 1
                connects to the manager given on the command line (default 127.0.0.1:20556) and only loopback
                addresses are offered to experiments.
                To take experiments from a broker instead, set NoSubMode 0 and uncomment BrokerAddr
                (pktbrokr.caida.org is CAIDA's broker; PacketLab for Java will ship its own), and list the
                machine's real addresses in VMemLocalAddrStrIPv4.""").toString();
    }

    private void createDirectory(Path d, Set<PosixFilePermission> perms, List<Path> created) throws IOException {
        if (Files.isDirectory(d)) {
            if (perms != null && isPosix(d)) {
                // an existing keys/ or certs/ open to others is closed, as ppksman expects
                Files.setPosixFilePermissions(d, perms);
            }
            return;
        }
        if (perms != null && isPosix(d.getParent())) {
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(perms));
        } else {
            Files.createDirectories(d);
        }
        created.add(d);
    }

    /** Writes {@code text} atomically with {@code perms} from the first byte; without {@code replace} an existing file fails. */
    private static void writeFile(Path file, String text, Set<PosixFilePermission> perms, boolean replace, List<Path> created)
            throws IOException {
        Path parent = file.getParent();
        Path tmp = isPosix(parent)
                ? Files.createTempFile(parent, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(perms))
                : Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (isPosix(parent)) {
                // the umask may have narrowed the mode asked for at creation
                Files.setPosixFilePermissions(tmp, perms);
            }
            if (replace) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        created.add(file);
    }

    private static void removeCreated(List<Path> created, Exception failure) {
        List<Path> reversed = new ArrayList<>(created);
        Collections.reverse(reversed);
        for (Path p : reversed) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static boolean isPosix(Path p) {
        return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PktlabHome.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the PacketLab jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * Makes sure the home holds a local broker's identity: {@code keys/k_brk}, {@code keys/k_bop}
     * (the broker operator key managers and endpoints trust as broker root) and
     * {@code certs/agent_bop_brk.cert} (the agent certificate of k_brk signed by k_bop), creating
     * what is missing; returns the files created.
     *
     * @throws IOException when a file cannot be written, or an existing certificate is not k_brk's
     */
    public List<Path> brokerIdentity() throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path d : List.of(keysDir(), certsDir())) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                created.add(d);
            }
        }
        Ed25519PrivateKey brk = brokerKey(K_BRK, created);
        Ed25519PrivateKey bop = brokerKey(K_BOP, created);
        Path cert = certFile(AGENT_BOP_BRK);
        if (Files.exists(cert)) {
            try {
                if (!cert(AGENT_BOP_BRK).subject().equals(brk.publicKey())) {
                    throw new IOException(cert + " is not the agent certificate of " + privateKeyFile(K_BRK));
                }
            } catch (CertException e) {
                throw new IOException(cert + ": " + e.getMessage(), e);
            }
        } else {
            initValidity(Cert.agent()).subject(brk.publicKey()).description("PacketLab broker").signWith(bop).writePem(cert, false);
            created.add(cert);
        }
        return created;
    }

    private Ed25519PrivateKey brokerKey(String name, List<Path> created) throws IOException {
        Path file = privateKeyFile(name);
        if (Files.exists(file)) {
            return privateKey(name);
        }
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        k.write(file, false);
        k.publicKey().writePem(publicKeyFile(name));
        created.add(file);
        created.add(publicKeyFile(name));
        return k;
    }

    // ---- typed access ----

    /** Reads {@code keys/NAME} (unencrypted PKCS#8 PEM). */
    public Ed25519PrivateKey privateKey(String name) throws IOException {
        return Ed25519PrivateKey.read(privateKeyFile(name));
    }

    /** Reads {@code keys/NAME.pub}. */
    public Ed25519PublicKey publicKey(String name) throws IOException {
        return Ed25519PublicKey.read(publicKeyFile(name));
    }

    /** Reads {@code certs/FILE}, holding one certificate. */
    public Cert cert(String fileName) throws IOException, CertException {
        return Cert.read(certFile(fileName));
    }

    /** Signs {@code builder} with {@code keys/SIGNER}, e.g. an exppriv for another experimenter signed with {@code k_eop}. */
    public Cert sign(Cert.Builder builder, String signerKeyName) throws IOException {
        return builder.signWith(privateKey(signerKeyName));
    }

    /**
     * Makes the proxy's credentials when they are missing: the key pair {@code keys/k_prx} and its
     * self-signed agent certificate {@code certs/agent_prx_prx.cert}, which {@code pktlab proxy} and
     * the lab's proxy present (managers may pin it with {@code ProxyCertRootPath keys/k_prx.pub}).
     * {@link #init} does not make them, so a home laid out as the reference's script does stays so.
     *
     * @return the files created, in creation order (empty when they all existed)
     */
    public List<Path> ensureProxyCredentials() throws IOException {
        List<Path> created = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            createDirectory(keysDir(), OWNER_ONLY_DIR, created);
            createDirectory(certsDir(), OWNER_ONLY_DIR, created);
            Ed25519PrivateKey key;
            if (Files.exists(privateKeyFile(K_PRX))) {
                key = privateKey(K_PRX);
            } else {
                key = Ed25519PrivateKey.generate();
                key.write(privateKeyFile(K_PRX), false);
                created.add(privateKeyFile(K_PRX));
                writeFile(publicKeyFile(K_PRX), key.publicKey().pem(), OWNER_ONLY_FILE, true, created);
            }
            if (!Files.exists(certFile(AGENT_PRX_PRX))) {
                writeCert(AGENT_PRX_PRX, initValidity(Cert.agent()).subject(key.publicKey()).signWith(key), false, created);
            }
        } catch (IOException | RuntimeException e) {
            removeCreated(created, e);
            throw e;
        }
        return List.copyOf(created);
    }

    /** Reads {@code xpmgr.conf}; relative paths start at the working directory, as for the reference. */
    public LoadedConfig<XpmgrConf> xpmgrConf() throws ConfigException {
        return XpmgrConf.load(xpmgrConfFile());
    }

    /** Reads {@code endpt.conf}; relative paths start at the working directory, as for the reference. */
    public LoadedConfig<EndptConf> endptConf() throws ConfigException {
        return EndptConf.load(endptConfFile());
    }

    // ---- privileges ----

    /**
     * Installs an experiment privilege received from an endpoint operator: the tutorial's
     * "ExpExec amendment". The chain {@code [pubcmd_exper_xc, exppriv]} must verify in
     * endpoint-authenticates-controller mode against {@code operatorKey} first; then
     * {@code certs/NAME_exppriv.cert} and {@code keys/NAME_k_eop.pub} are written and
     * {@code ExpExec IS_DEFAULT:SNIKEY:certs/NAME_exppriv.cert,certs/pubcmd_exper_xc.cert:keys/NAME_k_eop.pub::}
     * is appended to {@code xpmgr.conf} (and {@code xpmgr.proxy.conf} when present). Comments and
     * other lines of those files are kept.
     *
     * @param name        names the files; letters, digits, {@code _} and {@code -} (e.g. {@code caida})
     * @param exppriv     the exppriv certificate the operator signed for {@code k_exper}
     * @param operatorKey the operator's public key, which signed {@code exppriv}
     * @param snikey      the SNI name endpoints will ask for; null = random at every manager start
     * @param isDefault   whether the entry also serves endpoints sending no SNI (the home's own entry
     *                    is the default after {@link #init}: then this must be false)
     * @throws PrivilegeRefusedException when the chain does not verify (with the verifier's reason),
     *                                   a file of that name exists, or the configuration would break
     */
    public InstalledPrivilege addPrivilege(String name, Cert exppriv, Ed25519PublicKey operatorKey, Snikey snikey,
                                           boolean isDefault) throws IOException, PrivilegeRefusedException {
        Objects.requireNonNull(exppriv, "exppriv");
        Objects.requireNonNull(operatorKey, "operatorKey");
        if (!PRIVILEGE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("privilege name \"" + name + "\": use 1-64 letters, digits, '_' or '-'");
        }
        Path certOut = certFile(name + "_exppriv.cert");
        Path keyOut = publicKeyFile(name + "_k_eop");
        Verdict.Verified verified = verifyPrivilege(exppriv, operatorKey);
        for (Path p : List.of(certOut, keyOut)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new PrivilegeRefusedException(p + " already exists: choose another name");
            }
        }
        ExpExec entry = ExpExec.of(List.of(certOut, certFile(PUBCMD_EXPER_XC)), List.of(keyOut))
                .withSnikey(snikey).withDefault(isDefault);
        List<Path> configs = new ArrayList<>(List.of(xpmgrConfFile()));
        if (Files.exists(xpmgrProxyConfFile())) {
            configs.add(xpmgrProxyConfFile());
        }
        for (Path conf : configs) {
            checkAmendable(conf, entry);
        }
        List<Path> created = new ArrayList<>();
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        try {
            writeFile(certOut, exppriv.pem(), OWNER_ONLY_FILE, false, created);
            writeFile(keyOut, operatorKey.pem(), OWNER_ONLY_FILE, false, created);
            String amendment = "\n# Privilege \"" + name + "\": exppriv from the endpoint operator with key id "
                    + operatorKey.keyId().hex() + ", added by `pktlab privileges add`\nExpExec " + entry + "\n";
            for (Path conf : configs) {
                byte[] before = Files.readAllBytes(conf);
                originals.put(conf, before);
                String text = new String(before, StandardCharsets.UTF_8);
                String after = (text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + amendment;
                writeFile(conf, after, currentPermissions(conf), true, new ArrayList<>());
            }
        } catch (IOException | RuntimeException e) {
            for (Map.Entry<Path, byte[]> o : originals.entrySet()) {
                try {
                    Files.write(o.getKey(), o.getValue());
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
            }
            removeCreated(created, e);
            throw e;
        }
        return new InstalledPrivilege(name, certOut, keyOut, entry, configs, verified);
    }

    /** Like {@link #addPrivilege(String, Cert, Ed25519PublicKey, Snikey, boolean)}, reading the certificate and key from files. */
    public InstalledPrivilege addPrivilege(String name, Path expprivFile, Path operatorKeyFile, Snikey snikey, boolean isDefault)
            throws IOException, PrivilegeRefusedException {
        Cert exppriv;
        try {
            exppriv = Cert.read(expprivFile);
        } catch (CertException e) {
            throw new PrivilegeRefusedException(expprivFile + " is not a PacketLab certificate: " + e.getMessage(), e);
        }
        Ed25519PublicKey operatorKey;
        try {
            operatorKey = Ed25519PublicKey.read(operatorKeyFile);
        } catch (IOException e) {
            throw new PrivilegeRefusedException(operatorKeyFile + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
        return addPrivilege(name, exppriv, operatorKey, snikey, isDefault);
    }

    private Verdict.Verified verifyPrivilege(Cert exppriv, Ed25519PublicKey operatorKey)
            throws IOException, PrivilegeRefusedException {
        Cert pubcmd;
        try {
            pubcmd = cert(PUBCMD_EXPER_XC);
        } catch (CertException e) {
            throw new PrivilegeRefusedException(certFile(PUBCMD_EXPER_XC) + " does not decode: " + e.getMessage(), e);
        }
        Verdict v = ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, operatorKey).verify(List.of(pubcmd, exppriv));
        return switch (v) {
            case Verdict.Verified ok -> ok;
            case Verdict.Rejected no -> {
                String hint = exppriv.subjectKeyId().equals(pubcmd.authorityKeyId()) ? "" : whoseSubject(exppriv, pubcmd);
                throw new PrivilegeRefusedException("the chain [" + PUBCMD_EXPER_XC + ", exppriv] would not verify against"
                        + " the operator key " + operatorKey.keyId().hex() + ": " + no.describe() + hint, no);
            }
        };
    }

    /** Explains the most common mistake: an exppriv granted to some key other than this home's k_exper. */
    private static String whoseSubject(Cert exppriv, Cert pubcmd) {
        return " (the exppriv's subject key " + exppriv.subjectKeyId().hex() + " is not this home's " + K_EXPER
                + ", " + pubcmd.authorityKeyId().hex() + ")";
    }

    private void checkAmendable(Path conf, ExpExec entry) throws PrivilegeRefusedException {
        XpmgrConf current;
        try {
            current = XpmgrConf.load(conf).config();
        } catch (ConfigException e) {
            throw new PrivilegeRefusedException(conf + " does not load, fix it first: " + e.getMessage(), e);
        }
        if (entry.isDefault() && current.expExec().stream().anyMatch(ExpExec::isDefault)) {
            throw new PrivilegeRefusedException(conf + " already has a default ExpExec entry (IS_DEFAULT 1);"
                    + " add this privilege without --default, or edit the file");
        }
        if (entry.snikey().isPresent()
                && current.expExec().stream().anyMatch(e -> e.snikey().equals(entry.snikey()))) {
            throw new PrivilegeRefusedException(conf + " already has an ExpExec entry with snikey " + entry.snikey().get());
        }
    }

    private static Set<PosixFilePermission> currentPermissions(Path file) throws IOException {
        return isPosix(file) ? Files.getPosixFilePermissions(file) : READABLE_FILE;
    }

    // ---- status ----

    /** The status of every key, certificate, CSR, configuration file and privilege, now. */
    public List<HomeStatus> status() {
        return status(Instant.now());
    }

    /** The status at time {@code now} (validity is judged at that time). */
    public List<HomeStatus> status(Instant now) {
        HomeStatusReader reader = new HomeStatusReader(this, now);
        return reader.read();
    }

    /** Names of the files init creates, for status rows of missing files. */
    static List<String> initKeyNames() {
        return INIT_KEYS;
    }

    static List<String> initCertNames() {
        return List.of(AGENT_XC_XC, AGENT_EP_EP, EXPPRIV_EOP_EXPER, PUBCMD_EXPER_XC, SUBCMD_EOP_EP);
    }

    static List<String> initCsrNames() {
        return List.of(EXPPRIV_EXPER_CSR, DELPRIV_EXP_EXPER_CSR, DELPRIV_REP_EOP_CSR);
    }

    /** Lists regular, non-hidden files of a directory, sorted; empty when it does not exist. */
    static List<Path> files(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public String toString() {
        return "PktlabHome[" + dir + "]";
    }
}
