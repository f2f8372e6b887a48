/*
 * misbehave MODE: mlets that break the rules of the link, one per MODE.
 *   garbage   writes a header announcing a 16 MiB body of type 0xff, then waits for EOF
 *   truncated writes half a message header, then exits 0
 *   hang      ignores SIGTERM and EOF on fd 0 and never exits (only SIGKILL ends it)
 *   exit N    exits with status N at once, without a message
 *   silent    prints a line, then waits for EOF on fd 0 and exits 0
 *   raw       writes a message of the unknown type 0x9a and an mread with a 5-byte body, then waits for EOF
 *   flood N   writes N bytes on stdout, then exits 0
 */
#include <signal.h>
#include "pktlab_link.h"

static void await_eof(void) {
    uint8_t b[256];
    while (read(0, b, sizeof b) > 0) {}
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "garbage") == 0) {
        const uint8_t hdr[8] = {0xff, 0xff, 0xff, 0xff, 'j', 'u', 'n', 'k'};
        write_full(0, hdr, sizeof hdr);
        await_eof();
        return 0;
    }
    if (strcmp(mode, "truncated") == 0) {
        const uint8_t half[2] = {T_NOPEN, 0};
        write_full(0, half, sizeof half);
        return 0;
    }
    if (strcmp(mode, "hang") == 0) {
        signal(SIGTERM, SIG_IGN);
        fprintf(stderr, "misbehave: hanging\n");
        fflush(stderr);
        await_eof();
        for (;;) pause();
    }
    if (strcmp(mode, "exit") == 0 && argc > 2) return atoi(argv[2]);
    if (strcmp(mode, "silent") == 0) {
        printf("misbehave: silent\n");
        fflush(stdout);
        await_eof();
        return 0;
    }
    if (strcmp(mode, "raw") == 0) {
        const uint8_t unknown[7] = {0x9a, 0, 0, 3, 'a', 'b', 'c'};
        const uint8_t short_mread[9] = {T_MREAD, 0, 0, 5, 0x10, 0, 0, 0, 1};
        write_full(0, unknown, sizeof unknown);
        write_full(0, short_mread, sizeof short_mread);
        await_eof();
        return 0;
    }
    if (strcmp(mode, "flood") == 0 && argc > 2) {
        static char line[1000];
        memset(line, 'x', sizeof line);
        for (long left = atol(argv[2]); left > 0; left -= (long)sizeof line)
            fwrite(line, 1, left < (long)sizeof line ? (size_t)left : sizeof line, stdout);
        return 0;
    }
    die("usage: misbehave garbage|truncated|hang|exit N|silent|raw|flood N");
}
