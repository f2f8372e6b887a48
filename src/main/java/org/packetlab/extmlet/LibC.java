package org.packetlab.extmlet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The C library functions external mlets need, bound with JNA (Linux, 64-bit: {@code size_t} and
 * {@code ssize_t} are {@code long}). Functions that report failure through {@code errno} throw
 * {@link LastErrorException}; the {@code posix_spawn} family returns the error number instead.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_NOSIGNAL = 0x4000;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int F_DUPFD_CLOEXEC = 1030;
    int O_NONBLOCK = 0x800;
    int P_PID = 1;
    int WEXITED = 4;
    int WNOWAIT = 0x01000000;
    int EINTR = 4;
    int SIGKILL = 9;
    int SIGTERM = 15;
    short POSIX_SPAWN_SETPGROUP = 0x02;
    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Bytes reserved for an opaque {@code posix_spawn_file_actions_t} (80 on glibc x86-64) or {@code posix_spawnattr_t} (336). */
    int SPAWN_STRUCT_SIZE = 512;
    /** Bytes of a {@code sigset_t} (128 on glibc). */
    int SIGSET_SIZE = 128;
    /** Bytes of a {@code siginfo_t}. */
    int SIGINFO_SIZE = 128;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long sendmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    int waitid(int idtype, int id, Pointer siginfo, int options) throws LastErrorException;

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, StringArray argv, StringArray envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);

    /** glibc 2.34 and later: closes every descriptor from {@code from} up in the child. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int sigemptyset(Pointer sigset);

    int sigfillset(Pointer sigset);

    String strerror(int errnum);
}
