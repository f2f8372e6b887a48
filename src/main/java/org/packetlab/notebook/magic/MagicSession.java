package org.packetlab.notebook.magic;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.packetlab.config.PktlabHome;
import org.packetlab.lab.Lab;
import org.packetlab.manager.Manager;
import org.packetlab.results.Results;

/**
 * What the magics keep between cells: the home they work on, the running lab or listening manager,
 * and the last results. Closing it stops the lab and the manager.
 */
final class MagicSession implements AutoCloseable {
    private PktlabHome home;            // guarded by this
    private Lab lab;                    // guarded by this
    private Manager manager;            // guarded by this
    private Results<?> lastResults;     // guarded by this
    private CompletableFuture<Void> runOver = CompletableFuture.completedFuture(null); // guarded by this

    static MagicSession of(MagicContext context) {
        return context.state(MagicSession.class, MagicSession::new);
    }

    synchronized PktlabHome home() {
        return home != null ? home : PktlabHome.atDefault();
    }

    /**
     * The home {@code --home} names, else this session's; a usage error of {@code args}' magic
     * unless it is an initialised home.
     */
    PktlabHome initializedHome(MagicArgs args) {
        PktlabHome h = args.option("--home").map(Path::of).map(PktlabHome::at).orElseGet(this::home);
        if (!h.isInitialized()) {
            throw new MagicUsageException(args.magic() + ": " + h.dir() + " is not a PacketLab home; %pktlab init --home DIR first");
        }
        return h;
    }

    synchronized void home(PktlabHome home) {
        this.home = home;
    }

    synchronized Optional<Lab> lab() {
        return Optional.ofNullable(lab);
    }

    synchronized void lab(Lab lab) {
        this.lab = lab;
    }

    synchronized Optional<Manager> manager() {
        return Optional.ofNullable(manager);
    }

    synchronized void manager(Manager manager) {
        this.manager = manager;
    }

    synchronized Optional<Results<?>> lastResults() {
        return Optional.ofNullable(lastResults);
    }

    synchronized void lastResults(Results<?> results) {
        this.lastResults = results;
    }

    /** Completes when the last run started by {@code %pktlab run} is over (a cancelled run ends a little after its cell). */
    synchronized CompletableFuture<Void> runOver() {
        return runOver;
    }

    synchronized void runOver(CompletableFuture<Void> over) {
        this.runOver = over;
    }

    /** Stops the lab and the manager; returns what was stopped, in words. */
    synchronized String stopAll() {
        StringBuilder sb = new StringBuilder();
        if (lab != null) {
            lab.close();
            lab = null;
            sb.append("lab stopped");
        }
        if (manager != null) {
            manager.close();
            manager = null;
            sb.append(sb.isEmpty() ? "" : ", ").append("manager stopped");
        }
        return sb.isEmpty() ? "nothing was running" : sb.toString();
    }

    @Override
    public void close() {
        stopAll();
    }
}
