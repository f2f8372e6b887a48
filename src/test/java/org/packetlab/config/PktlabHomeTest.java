package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainFailure;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Snikey;

@Timeout(30)
class PktlabHomeTest {
    @TempDir
    Path dir;

    private PktlabHome initHome() throws Exception {
        PktlabHome home = PktlabHome.at(dir.resolve("home"));
        home.init(false);
        return home;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void initCreatesTheReferenceLayoutOwnerOnly() throws Exception {
        PktlabHome home = PktlabHome.at(dir.resolve("home"));
        List<Path> created = home.init(false);
        assertThat(created).contains(home.dir(), home.privateKeyFile("k_exper"), home.certFile("subcmd_eop_ep.cert"),
                home.csrFile("delpriv_rep_eop.csr"), home.endptConfFile(), home.progsDir());
        assertThat(mode(home.keysDir())).isEqualTo("rwx------");
        assertThat(mode(home.certsDir())).isEqualTo("rwx------");
        for (String k : List.of("k_exper", "k_xc", "k_eop", "k_ep")) {
            assertThat(mode(home.privateKeyFile(k))).as(k).isEqualTo("rw-------");
            assertThat(home.privateKey(k).publicKey()).isEqualTo(home.publicKey(k));
        }
        assertThat(Files.isDirectory(home.progsDir())).isTrue();
        assertThat(home.isInitialized()).isTrue();
        String shipped = ConfigFixtures.resource("/vectors/creds-reference/keys/caida_k_bop.pub");
        assertThat(Files.readString(home.publicKeyFile("caida_k_bop"))).isEqualTo(shipped);
    }

    @Test
    void initSignsTheFiveCertificatesLikeTheReference() throws Exception {
        PktlabHome home = initHome();
        record Expect(String file, CertType type, String signer, String subject) {}
        for (Expect e : List.of(
                new Expect("agent_xc_xc.cert", CertType.AGENT, "k_xc", "k_xc"),
                new Expect("agent_ep_ep.cert", CertType.AGENT, "k_ep", "k_ep"),
                new Expect("exppriv_eop_exper.cert", CertType.EXPPRIV, "k_eop", "k_exper"),
                new Expect("pubcmd_exper_xc.cert", CertType.PUBCMD, "k_exper", "k_xc"),
                new Expect("subcmd_eop_ep.cert", CertType.SUBCMD, "k_eop", "k_ep"))) {
            Cert c = home.cert(e.file());
            assertThat(c.type()).as(e.file()).isEqualTo(e.type());
            assertThat(c.subject()).as(e.file()).isEqualTo(home.publicKey(e.subject()));
            assertThat(c.isSignedBy(home.publicKey(e.signer()))).as(e.file()).isTrue();
            assertThat(c.notBefore()).isEqualTo(Instant.EPOCH);
            assertThat(c.notAfter()).isEqualTo(Instant.parse("2038-01-19T03:14:07Z"));
            assertThat(c.limits().pairs().isEmpty()).isTrue();
        }
    }

    @Test
    void initWritesTheThreeRequests() throws Exception {
        PktlabHome home = initHome();
        Csr exppriv = Csr.read(home.csrFile("exppriv_exper.csr"));
        assertThat(exppriv.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(exppriv.subject()).isEqualTo(home.publicKey("k_exper"));
        Csr delExp = Csr.read(home.csrFile("delpriv_exp_exper.csr"));
        assertThat(delExp.delTypes()).containsExactly(DelType.EXPPRIV);
        assertThat(delExp.subject()).isEqualTo(home.publicKey("k_exper"));
        Csr delRep = Csr.read(home.csrFile("delpriv_rep_eop.csr"));
        assertThat(delRep.delTypes()).containsExactly(DelType.REPPRIV);
        assertThat(delRep.subject()).isEqualTo(home.publicKey("k_eop"));
    }

    @Test
    void initConfigsMakeALocalExperimentWorkWithoutEdits() throws Exception {
        PktlabHome home = initHome();
        LoadedConfig<XpmgrConf> x = home.xpmgrConf();
        assertThat(x.warnings()).isEmpty();
        XpmgrConf xc = x.config();
        assertThat(xc.enableExpPublication()).isFalse();
        assertThat(xc.brokerAddr()).isEmpty();
        assertThat(xc.controllerPrivkeyPath()).isEqualTo(home.privateKeyFile("k_xc")).isAbsolute();
        ExpExec entry = xc.expExec().get(0);
        assertThat(entry.isDefault()).isTrue();
        List<Cert> chain = List.of(Cert.read(entry.expprivChain().get(1)), Cert.read(entry.expprivChain().get(0)));
        assertThat(ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, Ed25519PublicKey.read(entry.trustedEop().get(0)))
                .verify(chain).isVerified()).isTrue();

        LoadedConfig<EndptConf> e = home.endptConf();
        assertThat(e.warnings()).isEmpty();
        EndptConf ec = e.config();
        assertThat(ec.noSubMode()).isTrue();
        assertThat(ec.vmemLocalAddrIPv4()).containsExactly("127.0.0.1/8");
        assertThat(ec.hostId()).isEqualTo("pktendpt");
        assertThat(ec.brokerAddr()).isEmpty();
        List<Cert> endpointChain = List.of(Cert.read(ec.controllerCertChainPath().get(0)));
        assertThat(ChainVerifier.of(VerifyMode.CONTROLLER_AUTH_ENDPOINT, Ed25519PublicKey.read(ec.endpointOpPubKeyPath().get(0)))
                .verify(endpointChain).isVerified()).isTrue();
        // each side trusts k_eop for the other's chain (config-files.md §4.3)
        assertThat(ec.endpointOpPubKeyPath()).isEqualTo(entry.trustedEop());

        XpmgrConf proxy = XpmgrConf.load(home.xpmgrProxyConfFile()).config();
        assertThat(proxy.enableProxyMode()).isTrue();
        assertThat(proxy.backlogConnAgentCertPath()).contains(home.certFile("agent_xc_xc.cert"));
    }

    @Test
    void brokerOptionsStayAsCommentedLinesExplainingHowToEnableThem() throws Exception {
        PktlabHome home = initHome();
        for (Path conf : List.of(home.xpmgrConfFile(), home.xpmgrProxyConfFile(), home.endptConfFile())) {
            String text = Files.readString(conf);
            assertThat(text.lines()).as(conf.toString()).contains("#BrokerAddr pktbrokr.caida.org");
            assertThat(text).doesNotContain("\r").contains("uncomment BrokerAddr");
        }
        assertThat(Files.readString(home.xpmgrConfFile()).lines()).contains("EnableExpPublication 0",
                "PubAgentCertPath " + home.certFile("agent_xc_xc.cert"), "PubPeriod 31536000000000000");
        assertThat(Files.readString(home.endptConfFile()).lines()).contains("NoSubMode 1", "HostID pktendpt",
                "VMemLocalAddrStrIPv4 127.0.0.1/8");
    }

    @Test
    void initNeverOverwritesWithoutForce() throws Exception {
        PktlabHome home = initHome();
        String key = Files.readString(home.privateKeyFile("k_exper"));
        assertThatThrownBy(() -> home.init(false))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageStartingWith(home.privateKeyFile("k_exper") + ": already exists")
                .hasMessageContaining("--force");
        assertThat(Files.readString(home.privateKeyFile("k_exper"))).isEqualTo(key);
    }

    @Test
    void initChecksEveryFileBeforeCreatingAny() throws Exception {
        Path d = Files.createDirectories(dir.resolve("partial"));
        Files.writeString(d.resolve("endpt.conf"), "# mine\n");
        PktlabHome home = PktlabHome.at(d);
        assertThatThrownBy(() -> home.init(false)).hasMessageStartingWith(d.resolve("endpt.conf") + ": already exists");
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s).containsExactly(d.resolve("endpt.conf"));
        }
    }

    @Test
    void forceReplacesKeysAndKeepsOtherFiles() throws Exception {
        PktlabHome home = initHome();
        Ed25519PublicKey before = home.publicKey("k_exper");
        Path extra = Files.writeString(home.certFile("caida_exppriv.cert"), "kept");
        home.init(true);
        assertThat(home.publicKey("k_exper")).isNotEqualTo(before);
        assertThat(home.cert("exppriv_eop_exper.cert").subject()).isEqualTo(home.publicKey("k_exper"));
        assertThat(Files.readString(extra)).isEqualTo("kept");
        assertThat(mode(home.privateKeyFile("k_exper"))).isEqualTo("rw-------");
    }

    @Test
    void failedInitRemovesWhatItCreated() throws Exception {
        Path d = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(d.resolve("csrs"), "a file where a directory must go");
        assertThatThrownBy(() -> PktlabHome.at(d).init(false)).isInstanceOf(FileAlreadyExistsException.class);
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s).containsExactly(d.resolve("csrs"));
        }
    }

    @Test
    void signUsesANamedKeyOfTheHome() throws Exception {
        PktlabHome home = initHome();
        Cert c = home.sign(Cert.exppriv().subject(home.publicKey("k_exper")).validFor(Duration.ofDays(30))
                .validDest("127.0.0.0/8"), "k_eop");
        assertThat(c.isSignedBy(home.publicKey("k_eop"))).isTrue();
        assertThat(c.limits().validDest()).isPresent();
    }

    @Test
    void freshHomeStatusIsAllUsable() throws Exception {
        PktlabHome home = initHome();
        List<HomeStatus> rows = home.status();
        assertThat(rows).allSatisfy(r -> assertThat(r.problems()).as(r.kind() + " " + r.name()).isEmpty());
        assertThat(rows).filteredOn(r -> r.kind() == HomeStatus.Kind.PRIVATE_KEY).extracting(HomeStatus::name)
                .containsExactlyInAnyOrder("k_eop", "k_ep", "k_exper", "k_xc");
        assertThat(rows).filteredOn(r -> r.kind() == HomeStatus.Kind.PUBLIC_KEY).hasSize(5);
        assertThat(rows).filteredOn(r -> r.kind() == HomeStatus.Kind.CSR).hasSize(3);
        assertThat(rows).filteredOn(r -> r.kind() == HomeStatus.Kind.CONFIG).hasSize(3);
        HomeStatus exppriv = rows.stream().filter(r -> r.name().equals("exppriv_eop_exper.cert")).findFirst().orElseThrow();
        assertThat(exppriv.detail()).isEqualTo("for k_exper, signed by k_eop");
        assertThat(exppriv.keyId()).contains(home.publicKey("k_exper").keyId());
        assertThat(exppriv.certType()).contains(CertType.EXPPRIV);
        HomeStatus privilege = rows.stream().filter(r -> r.kind() == HomeStatus.Kind.PRIVILEGE).findFirst().orElseThrow();
        assertThat(privilege.detail()).contains("line").contains("default").contains("granted by k_eop");
        assertThat(privilege.keyId()).contains(home.publicKey("k_eop").keyId());
        assertThat(privilege.file()).isEqualTo(home.certFile("exppriv_eop_exper.cert"));
        assertThat(privilege.validUntil()).contains(PktlabHome.INIT_VALID_UNTIL);
    }

    @Test
    void statusReportsWhatIsWrong() throws Exception {
        PktlabHome home = initHome();
        Files.setPosixFilePermissions(home.privateKeyFile("k_ep"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(home.publicKeyFile("k_ep"), Ed25519PrivateKey.generate().publicKey().pem());
        Files.writeString(home.certFile("garbage.cert"), "not a certificate");
        Files.delete(home.certFile("agent_ep_ep.cert"));
        List<HomeStatus> rows = home.status(Instant.parse("2040-01-01T00:00:00Z"));
        HomeStatus ep = rows.stream().filter(r -> r.kind() == HomeStatus.Kind.PRIVATE_KEY && r.name().equals("k_ep"))
                .findFirst().orElseThrow();
        assertThat(ep.problems()).anySatisfy(p -> assertThat(p).contains("readable by others"))
                .anySatisfy(p -> assertThat(p).contains("k_ep.pub is not the public half"));
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("garbage.cert");
            assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("does not decode"));
        });
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("agent_ep_ep.cert");
            assertThat(r.problems()).containsExactly("missing");
        });
        assertThat(rows).filteredOn(r -> r.name().equals("pubcmd_exper_xc.cert")).singleElement()
                .satisfies(r -> assertThat(r.problems()).containsExactly("expired on 2038-01-19T03:14:07Z"));
        assertThat(rows).filteredOn(r -> r.kind() == HomeStatus.Kind.PRIVILEGE).singleElement()
                .satisfies(r -> assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p)
                        .startsWith("chain does not verify: " + ChainFailure.EXPIRED_CERT)));
    }

    @Test
    void statusShowsConfigErrorsWithTheirLine() throws Exception {
        PktlabHome home = initHome();
        Files.writeString(home.endptConfFile(), "BufMax lots\n", java.nio.file.StandardOpenOption.APPEND);
        HomeStatus endpt = home.status().stream().filter(r -> r.name().equals("endpt.conf")).findFirst().orElseThrow();
        assertThat(endpt.problems()).singleElement().satisfies(p -> assertThat(p).matches("line \\d+: BufMax \"lots\": .*"));
    }

    // ---- privileges ----

    /** An operator other than the home's own, granting the home's experimenter a privilege. */
    private record Operator(Ed25519PrivateKey key, Path keyFile) {}

    private Operator operator(String name) throws Exception {
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        Path f = dir.resolve(name + "_k_eop.pub");
        Files.writeString(f, k.publicKey().pem());
        return new Operator(k, f);
    }

    private static Cert grant(PktlabHome home, Ed25519PrivateKey operator) throws Exception {
        return Cert.exppriv().subject(home.publicKey("k_exper")).validFor(Duration.ofDays(30)).signWith(operator);
    }

    @Test
    void addPrivilegeInstallsFilesAndAppendsExpExec() throws Exception {
        PktlabHome home = initHome();
        Operator caida = operator("caida");
        String before = Files.readString(home.xpmgrConfFile());
        InstalledPrivilege p = home.addPrivilege("caida", grant(home, caida.key()), caida.key().publicKey(), null, false);
        assertThat(p.certFile()).isEqualTo(home.certFile("caida_exppriv.cert"));
        assertThat(p.operatorKeyFile()).isEqualTo(home.publicKeyFile("caida_k_eop"));
        assertThat(home.publicKey("caida_k_eop")).isEqualTo(caida.key().publicKey());
        assertThat(p.configs()).containsExactly(home.xpmgrConfFile(), home.xpmgrProxyConfFile());
        assertThat(p.entry().toString()).isEqualTo("0::" + home.certFile("caida_exppriv.cert") + ","
                + home.certFile("pubcmd_exper_xc.cert") + ":" + home.publicKeyFile("caida_k_eop") + "::");
        String after = Files.readString(home.xpmgrConfFile());
        assertThat(after).startsWith(before).endsWith("ExpExec " + p.entry() + "\n");
        for (Path conf : p.configs()) {
            LoadedConfig<XpmgrConf> l = XpmgrConf.load(conf);
            assertThat(l.config().expExec()).hasSize(2).last().isEqualTo(p.entry());
            assertThat(l.warnings()).isEmpty();
        }
        assertThat(home.status()).filteredOn(r -> r.kind() == HomeStatus.Kind.PRIVILEGE)
                .hasSize(2).allSatisfy(r -> assertThat(r.problems()).isEmpty())
                .anySatisfy(r -> assertThat(r.detail()).contains("granted by caida_k_eop"));
    }

    @Test
    void addPrivilegeWithSnikeyAndDefaultWhenTheHomeHasNoDefault() throws Exception {
        PktlabHome home = initHome();
        String text = Files.readString(home.xpmgrConfFile()).replace("ExpExec 1::", "ExpExec 0::");
        Files.writeString(home.xpmgrConfFile(), text);
        Files.delete(home.xpmgrProxyConfFile());
        Operator op = operator("lab");
        InstalledPrivilege p = home.addPrivilege("lab", grant(home, op.key()), op.key().publicKey(), new Snikey("lab2"), true);
        assertThat(p.configs()).containsExactly(home.xpmgrConfFile());
        XpmgrConf c = home.xpmgrConf().config();
        assertThat(c.expExec().get(1).snikey()).contains(new Snikey("lab2"));
        assertThat(c.expExec().get(1).isDefault()).isTrue();
    }

    private void assertUnchanged(PktlabHome home, String name, String xpmgr) throws Exception {
        assertThat(home.certFile(name + "_exppriv.cert")).doesNotExist();
        assertThat(home.publicKeyFile(name + "_k_eop")).doesNotExist();
        assertThat(Files.readString(home.xpmgrConfFile())).isEqualTo(xpmgr);
    }

    @Test
    void addPrivilegeRefusesAnExpprivForAnotherKeyWithTheReason() throws Exception {
        PktlabHome home = initHome();
        String xpmgr = Files.readString(home.xpmgrConfFile());
        Operator op = operator("other");
        Cert forSomeoneElse = Cert.exppriv().subject(Ed25519PrivateKey.generate().publicKey()).validFor(Duration.ofDays(1))
                .signWith(op.key());
        assertThatThrownBy(() -> home.addPrivilege("other", forSomeoneElse, op.key().publicKey(), null, false))
                .isInstanceOfSatisfying(PrivilegeRefusedException.class, e -> assertThat(e.verdict()).isPresent())
                .hasMessageContaining("would not verify")
                .hasMessageContaining("is not this home's k_exper");
        assertUnchanged(home, "other", xpmgr);
    }

    @Test
    void addPrivilegeRefusesTheWrongOperatorKey() throws Exception {
        PktlabHome home = initHome();
        String xpmgr = Files.readString(home.xpmgrConfFile());
        Operator signer = operator("signer");
        Operator claimed = operator("claimed");
        assertThatThrownBy(() -> home.addPrivilege("x", grant(home, signer.key()), claimed.key().publicKey(), null, false))
                .isInstanceOfSatisfying(PrivilegeRefusedException.class,
                        e -> assertThat(e.verdict().orElseThrow().failure()).isEqualTo(ChainFailure.NO_MATCHING_SIGN_KEY));
        assertUnchanged(home, "x", xpmgr);
    }

    @Test
    void addPrivilegeRefusesAnExpiredGrant() throws Exception {
        PktlabHome home = initHome();
        Operator op = operator("old");
        Cert expired = Cert.exppriv().subject(home.publicKey("k_exper")).validFrom(Instant.parse("2020-01-01T00:00:00Z"))
                .validUntil(Instant.parse("2020-02-01T00:00:00Z")).signWith(op.key());
        assertThatThrownBy(() -> home.addPrivilege("old", expired, op.key().publicKey(), null, false))
                .isInstanceOfSatisfying(PrivilegeRefusedException.class,
                        e -> assertThat(e.verdict().orElseThrow().failure()).isEqualTo(ChainFailure.EXPIRED_CERT));
    }

    @Test
    void addPrivilegeRefusesClashes() throws Exception {
        PktlabHome home = initHome();
        Operator op = operator("caida");
        home.addPrivilege("caida", grant(home, op.key()), op.key().publicKey(), new Snikey("caida"), false);
        String xpmgr = Files.readString(home.xpmgrConfFile());
        assertThatThrownBy(() -> home.addPrivilege("caida", grant(home, op.key()), op.key().publicKey(), null, false))
                .isInstanceOf(PrivilegeRefusedException.class).hasMessageContaining("already exists: choose another name");
        assertThatThrownBy(() -> home.addPrivilege("second", grant(home, op.key()), op.key().publicKey(), null, true))
                .isInstanceOf(PrivilegeRefusedException.class).hasMessageContaining("already has a default ExpExec");
        assertThatThrownBy(() -> home.addPrivilege("third", grant(home, op.key()), op.key().publicKey(), new Snikey("caida"), false))
                .isInstanceOf(PrivilegeRefusedException.class).hasMessageContaining("snikey caida");
        assertThatThrownBy(() -> home.addPrivilege("a:b", grant(home, op.key()), op.key().publicKey(), null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertUnchanged(home, "second", xpmgr);
        assertUnchanged(home, "third", xpmgr);
    }

    @Test
    void addPrivilegeFromFilesNamesABadCertificateFile() throws Exception {
        PktlabHome home = initHome();
        Operator op = operator("f");
        Path certFile = dir.resolve("granted.cert");
        Files.writeString(certFile, grant(home, op.key()).pem());
        InstalledPrivilege p = home.addPrivilege("f", certFile, op.keyFile(), null, false);
        assertThat(Files.readAllBytes(p.certFile())).isEqualTo(Files.readAllBytes(certFile));
        Path garbage = Files.writeString(dir.resolve("garbage.cert"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> home.addPrivilege("g", garbage, op.keyFile(), null, false))
                .isInstanceOf(PrivilegeRefusedException.class)
                .hasMessageStartingWith(garbage + " is not a PacketLab certificate");
        assertThatThrownBy(() -> home.addPrivilege("g", certFile, garbage, null, false))
                .isInstanceOf(PrivilegeRefusedException.class)
                .hasMessageStartingWith(garbage + " is not an Ed25519 public key");
    }

    @Test
    void addPrivilegeKeepsAFileWithoutFinalNewlineIntact() throws Exception {
        PktlabHome home = initHome();
        String text = Files.readString(home.xpmgrConfFile());
        Files.writeString(home.xpmgrConfFile(), text.stripTrailing(), StandardCharsets.UTF_8);
        Operator op = operator("n");
        home.addPrivilege("n", grant(home, op.key()), op.key().publicKey(), null, false);
        assertThat(home.xpmgrConf().config().expExec()).hasSize(2);
        assertThat(Optional.of(Files.readString(home.xpmgrConfFile()))).get().asString().startsWith(text.stripTrailing() + "\n");
    }
}
