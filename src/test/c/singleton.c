/*
 * singleton MLET [ARGS...]: a singleton-mode coordinator like the reference's test_single_mlet
 * (spec/libpktlab-api.md §5.7, spec/agents.md §A.6.2). fd 0 is the control socket: each
 * message carries one endpoint link as an SCM_RIGHTS descriptor and the endpoint address,
 * NUL-terminated, as payload. Each endpoint is served by a forked child that moves the link to
 * fd 0, sets EPADDR and execs MLET with argv[0] = its base name. EOF = no more endpoints.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include "pktlab_link.h"

enum { ADDR_MAX = 46 };  /* INET6_ADDRSTRLEN */

static int reap(int block) {
    int failed = 0, status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "singleton: child %d ended with status 0x%x\n", (int)pid, status);
            failed++;
        }
    }
    return failed;
}

/* Receives one endpoint: returns its link descriptor, or -1 at EOF; dies on anything malformed. */
static int receive(char addr[ADDR_MAX + 1]) {
    char payload[ADDR_MAX + 1];
    union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } control;
    struct iovec iov = {payload, sizeof payload};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
                        .msg_controllen = sizeof control.space};
    ssize_t n;
    do n = recvmsg(0, &mh, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    if (n < 0) die("singleton: recvmsg on the control socket failed");
    if (n == 0) return -1;
    if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) die("singleton: over-long address or control data");
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
        die("singleton: message without one descriptor");
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    if (fd <= 2) die("singleton: descriptor <= 2");
    if (payload[n - 1] != 0) die("singleton: address is not NUL-terminated");
    memcpy(addr, payload, (size_t)n);
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: singleton MLET [ARGS...]");
    const char *path = argv[1];
    const char *slash = strrchr(path, '/');
    argv[1] = (char *)(slash ? slash + 1 : path);  /* the child's argv[0] */
    int served = 0;
    char addr[ADDR_MAX + 1];
    for (int fd; (fd = receive(addr)) >= 0; served++) {
        pid_t pid = fork();
        if (pid < 0) die("singleton: fork failed");
        if (pid == 0) {
            char env_addr[sizeof "EPADDR=" + ADDR_MAX];
            snprintf(env_addr, sizeof env_addr, "EPADDR=%s", addr);
            char *envp[] = {addr[0] ? env_addr : NULL, NULL};
            if (dup2(fd, 0) < 0) die("singleton: dup2 failed");
            execve(path, argv + 1, envp);
            die("singleton: execve failed");
        }
        close(fd);
        reap(0);
    }
    int failed = reap(1);
    fprintf(stderr, "singleton: no more endpoints after %d\n", served);
    return failed ? 1 : 0;
}
