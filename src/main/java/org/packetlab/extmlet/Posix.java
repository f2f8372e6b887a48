package org.packetlab.extmlet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POSIX plumbing of external mlets over {@link LibC}: socket pairs, spawning with fd 0 on a
 * socket, waiting, signals and descriptor passing. Failures are {@link IOException}s naming the
 * call and the system's reason.
 */
final class Posix {
    private static final Logger log = LoggerFactory.getLogger(Posix.class);

    private Posix() {}

    /** A connected pair of AF_UNIX stream sockets, both close-on-exec and above the standard descriptors. */
    record SocketPair(int managerEnd, int mletEnd) {}

    /**
     * Checks that this platform can run external mlets (64-bit Linux with glibc 2.34 or later).
     *
     * @throws IOException saying what is missing
     */
    static void checkSupported() throws IOException {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            throw new IOException("external mlets need 64-bit Linux; this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        try {
            NativeLibrary.getInstance("c").getFunction("posix_spawn_file_actions_addclosefrom_np");
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("external mlets need glibc 2.34 or later (posix_spawn_file_actions_addclosefrom_np): " + e.getMessage(), e);
        }
    }

    static SocketPair socketPair() throws IOException {
        int[] sv = new int[2];
        try {
            LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, sv);
        } catch (LastErrorException e) {
            throw failure("socketpair", e);
        }
        return new SocketPair(aboveStdio(sv[0]), aboveStdio(sv[1]));
    }

    /**
     * Moves a descriptor that landed on 0, 1 or 2 (when the JVM runs with a standard stream closed)
     * to 3 or above, so that the spawn's dup2 actions cannot overwrite one another.
     */
    private static int aboveStdio(int fd) throws IOException {
        if (fd > 2) {
            return fd;
        }
        try {
            int moved = LibC.INSTANCE.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3);
            close(fd);
            return moved;
        } catch (LastErrorException e) {
            throw failure("fcntl(F_DUPFD_CLOEXEC)", e);
        }
    }

    static void setNonBlocking(int fd) throws IOException {
        try {
            int flags = LibC.INSTANCE.fcntl(fd, LibC.F_GETFL, 0);
            LibC.INSTANCE.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
        } catch (LastErrorException e) {
            throw failure("fcntl(O_NONBLOCK)", e);
        }
    }

    /** Closes {@code fd}; a failure (a bug: the descriptor was not ours) is logged. */
    static void close(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINTR) {
                log.warn("close({}) failed: {}", fd, describe(e.getErrorCode()));
            }
        }
    }

    /** Shuts a socket down in direction {@code how} ({@link LibC#SHUT_WR}, {@link LibC#SHUT_RDWR}); a socket already gone is fine. */
    static void shutdown(int fd, int how) {
        try {
            LibC.INSTANCE.shutdown(fd, how);
        } catch (LastErrorException e) {
            log.debug("shutdown({}, {}) failed: {}", fd, how, describe(e.getErrorCode()));
        }
    }

    /**
     * Starts {@code file} with the given argument vector and environment, in a new process group
     * (group id = its pid), with default signal handling and an empty signal mask. The child's
     * fd 0 is {@code fd0}; its fds 1 and 2 are {@code fd1} and {@code fd2}, or the JVM's own when
     * those are -1; every other descriptor is closed.
     *
     * @return the child's pid
     * @throws IOException when the file cannot be executed (glibc reports exec failures here)
     */
    static int spawn(Path file, List<String> argv, List<String> env, int fd0, int fd1, int fd2) throws IOException {
        LibC c = LibC.INSTANCE;
        try (Memory actions = new Memory(LibC.SPAWN_STRUCT_SIZE);
             Memory attr = new Memory(LibC.SPAWN_STRUCT_SIZE);
             Memory none = new Memory(LibC.SIGSET_SIZE);
             Memory all = new Memory(LibC.SIGSET_SIZE)) {
            check("posix_spawn_file_actions_init", c.posix_spawn_file_actions_init(actions));
            try {
                check("posix_spawnattr_init", c.posix_spawnattr_init(attr));
                try {
                    check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd0, 0));
                    if (fd1 >= 0) {
                        check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd1, 1));
                    }
                    if (fd2 >= 0) {
                        check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd2, 2));
                    }
                    // the JVM does not open every descriptor close-on-exec: none but 0-2 may reach the mlet
                    check("posix_spawn_file_actions_addclosefrom_np", c.posix_spawn_file_actions_addclosefrom_np(actions, 3));
                    c.sigemptyset(none);
                    c.sigfillset(all);
                    check("posix_spawnattr_setsigmask", c.posix_spawnattr_setsigmask(attr, none));
                    check("posix_spawnattr_setsigdefault", c.posix_spawnattr_setsigdefault(attr, all));
                    check("posix_spawnattr_setpgroup", c.posix_spawnattr_setpgroup(attr, 0));
                    check("posix_spawnattr_setflags", c.posix_spawnattr_setflags(attr,
                            (short) (LibC.POSIX_SPAWN_SETPGROUP | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)));
                    IntByReference pid = new IntByReference();
                    int err = c.posix_spawn(pid, file.toString(), actions, attr,
                            new StringArray(argv.toArray(String[]::new)), new StringArray(env.toArray(String[]::new)));
                    if (err != 0) {
                        throw new IOException("cannot start " + file + ": " + describe(err));
                    }
                    return pid.getValue();
                } finally {
                    c.posix_spawnattr_destroy(attr);
                }
            } finally {
                c.posix_spawn_file_actions_destroy(actions);
            }
        }
    }

    private static void check(String call, int err) throws IOException {
        if (err != 0) {
            throw new IOException(call + " failed: " + describe(err));
        }
    }

    /** Sends {@code sig} to process group {@code pgid}; false when the group no longer exists. */
    static boolean killGroup(int pgid, int sig) {
        try {
            LibC.INSTANCE.kill(-pgid, sig);
            return true;
        } catch (LastErrorException e) {
            log.debug("kill(-{}, {}) failed: {}", pgid, sig, describe(e.getErrorCode()));
            return false;
        }
    }

    /** Blocks until child {@code pid} has ended, leaving it unreaped (its pid, and so its group id, stay taken). */
    static void awaitExit(int pid) throws IOException {
        try (Memory info = new Memory(LibC.SIGINFO_SIZE)) {
            while (true) {
                try {
                    LibC.INSTANCE.waitid(LibC.P_PID, pid, info, LibC.WEXITED | LibC.WNOWAIT);
                    return;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw failure("waitid(" + pid + ")", e);
                    }
                }
            }
        }
    }

    /** Reaps child {@code pid}, which has ended, and returns how it ended. */
    static ExitStatus reap(int pid) throws IOException {
        int[] status = new int[1];
        while (true) {
            try {
                LibC.INSTANCE.waitpid(pid, status, 0);
                return ExitStatus.fromWaitStatus(status[0]);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw failure("waitpid(" + pid + ")", e);
                }
            }
        }
    }

    /**
     * Sends descriptor {@code fd} over the AF_UNIX socket {@code socket} in one {@code sendmsg}
     * carrying one SCM_RIGHTS control message and {@code payload} as data (spec/agents.md §A.6.2).
     * Blocks while the socket's buffer is full.
     */
    static void sendDescriptor(int socket, int fd, byte[] payload) throws IOException {
        // struct msghdr (56 bytes), struct iovec (16), one cmsghdr with one int: CMSG_SPACE(4) = 24, CMSG_LEN(4) = 20
        try (Memory data = new Memory(Math.max(1, payload.length));
             Memory iov = new Memory(16);
             Memory control = new Memory(24);
             Memory msg = new Memory(56)) {
            data.write(0, payload, 0, payload.length);
            iov.setPointer(0, data);
            iov.setLong(8, payload.length);
            control.clear();
            control.setLong(0, 20);
            control.setInt(8, LibC.SOL_SOCKET);
            control.setInt(12, LibC.SCM_RIGHTS);
            control.setInt(16, fd);
            msg.clear();
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, control);
            msg.setLong(40, 24);
            while (true) {
                try {
                    long sent = LibC.INSTANCE.sendmsg(socket, msg, LibC.MSG_NOSIGNAL);
                    if (sent != payload.length) {
                        throw new IOException("sendmsg sent " + sent + " of " + payload.length + " bytes");
                    }
                    return;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw failure("sendmsg(SCM_RIGHTS)", e);
                    }
                }
            }
        }
    }

    /** Reads up to {@code buf.length} bytes, blocking; 0 = end of stream. */
    static int read(int fd, byte[] buf) throws IOException {
        while (true) {
            try {
                return (int) LibC.INSTANCE.read(fd, buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw failure("read", e);
                }
            }
        }
    }

    /** The system's text for an error number. */
    static String describe(int errno) {
        return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }

    private static IOException failure(String call, LastErrorException e) {
        return new IOException(call + " failed: " + describe(e.getErrorCode()), e);
    }
}
