package org.packetlab.notebook.magic;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Csr;

/**
 * {@code %pktlab sign --csr F --key NAME --out F [--days N] [--home DIR]}: signs the privilege a
 * certificate request asks for with the home's key NAME. Java:
 * {@code home.sign(Cert.fromCsr(Csr.read(f)).validFor(Duration.ofDays(n)), "k_eop").writePem(out, false)}.
 */
final class SignMagic implements PktlabMagic {

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public String summary() {
        return "sign a privilege from a CSR with the home's key NAME (Java: home.sign(Cert.fromCsr(Csr.read(F)).validFor(d), NAME))";
    }

    @Override
    public String arguments() {
        return "--csr F --key NAME --out F [--days N] [--home DIR]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("sign", words, Set.of("--csr", "--key", "--out", "--days", "--home"), Set.of(), false)
                .positionalCount(0, 0, "");
        Path csrFile = Path.of(args.required("--csr"));
        String key = args.required("--key");
        Path out = Path.of(args.required("--out"));
        int days = args.intOption("--days", 365, 1, 36500);
        PktlabHome home = MagicSession.of(context).initializedHome(args);
        Csr csr;
        try {
            csr = Csr.read(csrFile);
        } catch (NoSuchFileException e) {
            throw new MagicUsageException("sign: " + csrFile + " does not exist");
        } catch (CertException e) {
            throw new MagicUsageException("sign: " + csrFile + " is not a valid request: " + e.getMessage());
        }
        Cert cert;
        try {
            cert = home.sign(Cert.fromCsr(csr).validFor(Duration.ofDays(days)), key);
        } catch (NoSuchFileException e) {
            throw new MagicUsageException("sign: " + home.dir() + " has no key " + key + " (" + e.getFile() + ")");
        }
        try {
            cert.writePem(out, false);
        } catch (FileAlreadyExistsException e) {
            throw new MagicUsageException("sign: " + out + " exists; choose another --out");
        }
        return "signed " + cert.type() + " for key " + csr.subject().keyId() + ", valid until " + cert.notAfter() + ": " + out;
    }
}
