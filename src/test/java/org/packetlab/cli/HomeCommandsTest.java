package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import picocli.CommandLine;

/** {@code pktlab init} and {@code pktlab privileges [add]}, run as the launcher runs them, in temporary homes. */
@Timeout(30)
class HomeCommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    /** Runs the command line as {@link Main#run} does, capturing what it prints. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path home() {
        return dir.resolve("home");
    }

    private Run init() {
        Run r = run("init", "--home", home().toString());
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    @Test
    void initPrintsWhatItCreated() throws Exception {
        Run r = init();
        assertThat(r.out()).startsWith("Created PacketLab home " + home() + ":")
                .contains("  keys/k_exper\n", "  certs/subcmd_eop_ep.cert\n", "  csrs/exppriv_exper.csr\n", "  xpmgr.conf\n",
                        "  endpt.conf\n", "  progs/\n")
                .contains("pktlab privileges --home " + home());
        assertThat(r.err()).isEmpty();
        assertThat(PktlabHome.at(home()).isInitialized()).isTrue();
    }

    @Test
    void initTwiceFailsWithOneLineNamingTheKey() throws Exception {
        init();
        String key = Files.readString(home().resolve("keys/k_exper"));
        Run again = run("init", "--home", home().toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("pktlab init: " + home().resolve("keys/k_exper")
                + ": already exists; pktlab init never overwrites keys or certificates without --force\n");
        assertThat(Files.readString(home().resolve("keys/k_exper"))).isEqualTo(key);
    }

    @Test
    void initForceReplacesTheKeys() throws Exception {
        init();
        String key = Files.readString(home().resolve("keys/k_exper"));
        Run forced = run("init", "--home", home().toString(), "--force");
        assertThat(forced.code()).isZero();
        assertThat(Files.readString(home().resolve("keys/k_exper"))).isNotEqualTo(key);
    }

    @Test
    void helpExplainsWithExamples() {
        for (String[] args : new String[][] {{"init", "--help"}, {"privileges", "--help"}, {"privileges", "add", "--help"}}) {
            Run r = run(args);
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Examples:").contains("--home");
        }
        assertThat(run("--help").out()).contains("init").contains("privileges");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("init", "--frce");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("pktlab init: Unknown option: '--frce'");
    }

    @Test
    void privilegesPrintsTheStatusTable() {
        init();
        Run r = run("privileges", "--home", home().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("PacketLab home " + home() + "\nKIND ")
                .containsPattern("private key +k_exper +[0-9a-f]{16} +ok +experimenter")
                .containsPattern("certificate +exppriv_eop_exper.cert +exppriv +[0-9a-f]{16} +1970-01-01\\.\\.2038-01-19 +ok"
                        + " +for k_exper, signed by k_eop")
                .containsPattern("privilege +\\(random snikey\\) +exppriv .* ok +xpmgr.conf line \\d+, default, granted by k_eop")
                .endsWith("Everything is usable.\n");
    }

    @Test
    void privilegesShowsProblems() throws Exception {
        init();
        Files.delete(home().resolve("certs/pubcmd_exper_xc.cert"));
        Run r = run("privileges", "--home", home().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("certificate +pubcmd_exper_xc.cert +missing")
                .containsPattern("config +xpmgr.conf +line \\d+: ExpExec .*does not exist")
                .containsPattern("\\d+ item\\(s\\) with problems.\n$");
    }

    @Test
    void privilegesWithoutAHomeFailsWithAHint() {
        Run r = run("privileges", "--home", dir.resolve("none").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pktlab privileges: no PacketLab home at " + dir.resolve("none")
                + ": run `pktlab init --home " + dir.resolve("none") + "` first\n");
    }

    /** Writes an exppriv for the home's k_exper, signed by a new operator key; returns [cert, operator pub]. */
    private Path[] granted(Ed25519PrivateKey operator, String name) throws Exception {
        PktlabHome h = PktlabHome.at(home());
        Cert c = Cert.exppriv().subject(h.publicKey("k_exper")).validFor(Duration.ofDays(7)).signWith(operator);
        Path cert = Files.writeString(dir.resolve(name + "_exppriv.cert"), c.pem());
        Path pub = Files.writeString(dir.resolve(name + "_eop.pub"), operator.publicKey().pem());
        return new Path[] {cert, pub};
    }

    @Test
    void privilegesAddInstallsAndTheManagerConfigLoads() throws Exception {
        init();
        Path[] f = granted(Ed25519PrivateKey.generate(), "caida");
        Run r = run("privileges", "add", "--home", home().toString(), "--name", "caida", "--cert", f[0].toString(),
                "--operator-key", f[1].toString(), "--snikey", "caida1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Installed privilege caida (granted by operator key ")
                .contains(home().resolve("certs/caida_exppriv.cert").toString())
                .contains("    ExpExec 0:caida1:" + home().resolve("certs/caida_exppriv.cert"));
        XpmgrConf conf = XpmgrConf.load(home().resolve("xpmgr.conf")).config();
        assertThat(conf.expExec()).hasSize(2);
        assertThat(run("privileges", "--home", home().toString()).out())
                .containsPattern("privilege +caida1 +exppriv .* ok +xpmgr.conf line \\d+, granted by caida_k_eop");
    }

    @Test
    void privilegesAddRefusesAChainThatWouldNotVerify() throws Exception {
        init();
        Path[] f = granted(Ed25519PrivateKey.generate(), "signer");
        Path[] other = granted(Ed25519PrivateKey.generate(), "other");
        String before = Files.readString(home().resolve("xpmgr.conf"));
        Run r = run("privileges", "add", "--home", home().toString(), "--name", "x", "--cert", f[0].toString(),
                "--operator-key", other[1].toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("pktlab privileges add: the chain [pubcmd_exper_xc.cert, exppriv] would not verify")
                .contains("NO_MATCHING_SIGN_KEY").endsWith("\n");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(Files.readString(home().resolve("xpmgr.conf"))).isEqualTo(before);
        assertThat(home().resolve("certs/x_exppriv.cert")).doesNotExist();
    }

    @Test
    void privilegesAddUsageErrorsExitTwo() throws Exception {
        init();
        Path[] f = granted(Ed25519PrivateKey.generate(), "u");
        Run missing = run("privileges", "add", "--home", home().toString(), "--cert", f[0].toString(),
                "--operator-key", f[1].toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("pktlab privileges add: Missing required option: '--name=NAME'");
        Run badSnikey = run("privileges", "add", "--home", home().toString(), "--name", "u", "--cert", f[0].toString(),
                "--operator-key", f[1].toString(), "--snikey", "Upper");
        assertThat(badSnikey.code()).isEqualTo(2);
        assertThat(badSnikey.err()).contains("invalid snikey 'Upper'");
    }

    @Test
    void privilegesAddBadNameFailsWithOneLine() throws Exception {
        init();
        Path[] f = granted(Ed25519PrivateKey.generate(), "n");
        Run r = run("privileges", "add", "--home", home().toString(), "--name", "a,b", "--cert", f[0].toString(),
                "--operator-key", f[1].toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pktlab privileges add: privilege name \"a,b\": use 1-64 letters, digits, '_' or '-'\n");
    }
}
