/*
 * crash PORT [STATUS]: a broken mlet. It opens a TCP socket to 127.0.0.1:PORT like http_get
 * (nopen, then waits for the result), then dies mid-session: abort() (SIGABRT) without STATUS,
 * exit(STATUS) with it.
 */
#include "pktlab_link.h"

int main(int argc, char **argv) {
    if (argc < 2) die("usage: crash PORT [STATUS]");
    uint8_t nopen[19] = {1, 4, 6};
    put32(nopen + 3, 0x1000);
    nopen[13] = 127, nopen[16] = 1;  /* raddr 127.0.0.1 */
    put16(nopen + 17, (uint16_t)atoi(argv[1]));
    send_msg(0, T_NOPEN, nopen, sizeof nopen);
    int st = await_result(0);
    fprintf(stderr, "crash: nopen answered 0x%04x, now crashing\n", st);
    if (argc > 2) return atoi(argv[2]);
    abort();
}
