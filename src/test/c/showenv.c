/*
 * showenv [ARGS...]: prints how it was started: each argv entry, each environment entry, the
 * descriptors open among 0..1023, and whether fd 0 is a socket. Then waits for EOF on fd 0.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "pktlab_link.h"

extern char **environ;

int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("argv %s\n", argv[i]);
    for (char **e = environ; *e; e++) printf("env %s\n", *e);
    printf("fds");
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1) printf(" %d", fd);
    struct stat st;
    printf("\nfd0 %s\n", fstat(0, &st) == 0 && S_ISSOCK(st.st_mode) ? "socket" : "not a socket");
    fflush(stdout);
    uint8_t b[256];
    while (read(0, b, sizeof b) > 0) {}
    return 0;
}
