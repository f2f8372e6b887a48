package org.packetlab.extmlet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.results.Summarizable;

/**
 * What an external mlet did for one endpoint: how its process ended, what it printed, how long it
 * ran and how many messages it relayed. The value of an endpoint's result when the mlet succeeded;
 * carried by {@link ExternalMletException} when it did not.
 *
 * @param mlet               the mlet's name (its {@code argv[0]}: the file's base name)
 * @param epaddr             the {@code EPADDR} the process was given; empty when it had none
 * @param pid                the process id; 0 when a child of the singleton mlet served the endpoint
 * @param exit               how the process ended; empty in singleton mode (the serving child is not the manager's to wait for)
 *                           and when it could not be started
 * @param stdout             its standard output, when captured ({@link CapturedOutput#NONE} otherwise)
 * @param stderr             its standard error, when captured ({@link CapturedOutput#NONE} otherwise)
 * @param runTime            from the start of the process (or of the link, in singleton mode) to its end
 * @param messagesToEndpoint messages the mlet wrote on fd 0, relayed to the endpoint
 * @param messagesToMlet     messages from the endpoint written to the mlet's fd 0
 */
public record MletReport(String mlet, String epaddr, int pid, Optional<ExitStatus> exit, CapturedOutput stdout,
                         CapturedOutput stderr, Duration runTime, long messagesToEndpoint, long messagesToMlet)
        implements Summarizable {

    public MletReport {
        Objects.requireNonNull(mlet, "mlet");
        Objects.requireNonNull(epaddr, "epaddr");
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(runTime, "runTime");
        if (pid < 0 || messagesToEndpoint < 0 || messagesToMlet < 0 || runTime.isNegative()) {
            throw new IllegalArgumentException("pid, counts and run time must not be negative");
        }
    }

    /** The captured standard output as text (see {@link CapturedOutput#text()}). */
    public String output() {
        return stdout.text();
    }

    /**
     * One line for result tables: the captured standard output with line breaks shown as
     * {@code ⏎}, or, when none was captured, how the process ended and how many messages it sent.
     */
    @Override
    public String summary() {
        String out = stdout.text().strip();
        if (!out.isEmpty()) {
            return out.replaceAll("\\s*\\R\\s*", " \u23ce ");
        }
        return exit.map(ExitStatus::toString).orElse("served by the singleton mlet") + ", "
                + messagesToEndpoint + (messagesToEndpoint == 1 ? " message" : " messages") + " sent";
    }
}
