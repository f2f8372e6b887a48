/*
 * http_get [HOST] [PATH] [PORT]: an HTTP GET through the endpoint, message for message as the
 * reference's test_http_get (spec/libpktlab-api.md §5.1), plus a PORT argument for test servers
 * on ephemeral ports. Speaks PacketLab on fd 0; prints the response on stdout.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include "pktlab_link.h"

enum { SKTID = 1, TAG = 1234, MAX_RESPONSE = 64 * 1024 };

int main(int argc, char **argv) {
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    const char *path = argc > 2 ? argv[2] : "/";
    int port = argc > 3 ? atoi(argv[3]) : 80;
    const char *epaddr = getenv("EPADDR");
    if (!epaddr) die("http_get: EPADDR is not set (run me from the experiment manager)");

    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, NULL, &hints, &res) != 0) die("http_get: cannot resolve the host");
    uint8_t raddr[4];
    memcpy(raddr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
    freeaddrinfo(res);

    /* nopen: sktid, family 4, proto TCP, rbufsz 0x1000, laddr 0.0.0.0, lport 0, raddr, rport */
    uint8_t nopen[19] = {SKTID, 4, 6};
    put32(nopen + 3, 0x1000);
    memcpy(nopen + 13, raddr, 4);
    put16(nopen + 17, (uint16_t)port);
    send_msg(0, T_NOPEN, nopen, sizeof nopen);
    int st = await_result(0);
    if (st != 0) { fprintf(stderr, "http_get: nopen failed with status 0x%04x\n", st); return 1; }

    char request[1024];
    int rlen = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
    if (rlen < 0 || (size_t)rlen >= sizeof request) die("http_get: request too long");
    uint8_t nsend[13 + sizeof request] = {SKTID, 4, 6};
    put16(nsend + 11, TAG);  /* time 0 at offset 3 = as soon as possible */
    memcpy(nsend + 13, request, (size_t)rlen);
    send_msg(0, T_NSEND, nsend, 13 + (uint32_t)rlen);
    st = await_result(0);
    if (st != 0) { fprintf(stderr, "http_get: nsend failed with status 0x%04x\n", st); return 1; }

    static char response[MAX_RESPONSE + 1];
    size_t got = 0;
    uint64_t sent_at = 0, last_data_at = 0;
    for (int open = 1; open;) {
        struct msg m;
        if (!read_msg(0, &m)) die("http_get: the link ended before the server closed");
        switch (m.type) {
        case T_NTAG:
            if (m.len < 11 || get16(m.body + 1) != TAG || (m.len == 13 && get16(m.body + 11) != 0))
                die("http_get: unexpected ntag");
            sent_at = get64(m.body + 3);
            break;
        case T_NDATA:
            if (m.len < 11 || m.body[0] != SKTID) die("http_get: ndata for another socket");
            if (got + (m.len - 11) > MAX_RESPONSE) die("http_get: response over 64 KiB");
            memcpy(response + got, m.body + 11, m.len - 11);
            got += m.len - 11;
            last_data_at = get64(m.body + 3);
            break;
        case T_NSTAT:
            fprintf(stderr, "nstat code %d\n", m.len == 12 ? m.body[11] : 0);
            if (m.len == 12 && m.body[11] == NSTAT_PEERCLOSED) open = 0;
            break;
        case T_NBLOCK:
            fprintf(stderr, "nblock\n");
            break;
        case T_SUSPD:
            fprintf(stderr, "suspd: the endpoint suspended the session\n");
            return 0;
        default:
            fprintf(stderr, "http_get: unexpected message type 0x%02x\n", m.type);
            return 1;
        }
    }

    uint8_t nclose[1] = {SKTID};
    send_msg(0, T_NCLOSE, nclose, 1);
    st = await_result(0);
    if (st != 0) { fprintf(stderr, "http_get: nclose failed with status 0x%04x\n", st); return 1; }

    fprintf(stderr, "received %zu bytes in %.3f ms of endpoint time\n", got,
            last_data_at > sent_at ? (double)(last_data_at - sent_at) / 1e6 : 0.0);
    response[got] = 0;
    printf("%s\n\n(HTTP GET for %s%s via %s)\n", response, host, path, epaddr);
    return 0;
}
