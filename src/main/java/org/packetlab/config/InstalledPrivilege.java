package org.packetlab.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.packetlab.ppks.Verdict;

/**
 * A privilege installed in a home by {@link PktlabHome#addPrivilege}: the files written and the
 * {@code ExpExec} entry appended to the manager's configuration files.
 *
 * @param certFile        {@code certs/NAME_exppriv.cert}
 * @param operatorKeyFile {@code keys/NAME_k_eop.pub}
 * @param entry           the {@code ExpExec} entry appended
 * @param configs         the configuration files the entry was appended to
 * @param verdict         the verified chain {@code [pubcmd_exper_xc, exppriv]}
 */
public record InstalledPrivilege(String name, Path certFile, Path operatorKeyFile, ExpExec entry, List<Path> configs,
                                 Verdict.Verified verdict) {
    public InstalledPrivilege {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(operatorKeyFile, "operatorKeyFile");
        Objects.requireNonNull(entry, "entry");
        configs = List.copyOf(configs);
        Objects.requireNonNull(verdict, "verdict");
    }
}
