/*
 * The mlet end of a PacketLab link, for the test mlets of org.packetlab.extmlet: plain
 * read/write of whole messages on a file descriptor (spec/wire-protocol.md §3), written from the
 * spec without the reference library. Every message is a 4-byte header, type (u8) and body
 * length (u24, big-endian), followed by the body.
 */
#ifndef PKTLAB_LINK_H
#define PKTLAB_LINK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    T_NOPEN = 0x2a, T_NCLOSE = 0x2b, T_NSEND = 0x2c, T_MREAD = 0x28,
    T_RESULT = 0x40, T_MDATA = 0x41, T_NTAG = 0x60, T_NSTAT = 0x61, T_NDATA = 0x62,
    T_NBLOCK = 0x64, T_LINFO = 0x65, T_SUSPD = 0x68
};
enum { NSTAT_PEERCLOSED = 3 };
#define LINK_MAX_BODY 0x20000

/* One received message; body points into a static buffer valid until the next read. */
struct msg {
    int type;
    uint32_t len;
    uint8_t *body;
};

static inline void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, (uint16_t)v); }
static inline void put64(uint8_t *p, uint64_t v) { put32(p, v >> 32); put32(p + 4, (uint32_t)v); }
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }
static inline uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }

static inline void die(const char *what) {
    fprintf(stderr, "%s\n", what);
    exit(1);
}

/* Reads exactly n bytes; returns 0 on EOF before the first byte, 1 when all arrived; dies otherwise. */
static inline int read_full(int fd, uint8_t *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) die("read from the link failed");
        if (r == 0) {
            if (got == 0) return 0;
            die("the link ended inside a message");
        }
        got += (size_t)r;
    }
    return 1;
}

static inline void write_full(int fd, const uint8_t *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) die("write to the link failed");
        buf += w;
        n -= (size_t)w;
    }
}

/* Writes one message whose body is given. */
static inline void send_msg(int fd, int type, const uint8_t *body, uint32_t len) {
    uint8_t hdr[4] = {(uint8_t)type, (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    uint8_t *all = malloc(4 + (size_t)len);
    if (!all) die("out of memory");
    memcpy(all, hdr, 4);
    if (len) memcpy(all + 4, body, len);
    write_full(fd, all, 4 + (size_t)len);  /* one write per message, as the reference writer */
    free(all);
}

/* Reads the next message; returns 0 on a clean end of the link. */
static inline int read_msg(int fd, struct msg *m) {
    static uint8_t body[LINK_MAX_BODY];
    uint8_t hdr[4];
    if (!read_full(fd, hdr, 4)) return 0;
    m->type = hdr[0];
    m->len = (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    if (m->len > sizeof body) die("message too long for this mlet");
    if (m->len && !read_full(fd, body, m->len)) die("the link ended inside a message");
    m->body = body;
    return 1;
}

/* The status of a result message (an empty body means 0). */
static inline int result_status(const struct msg *m) {
    return m->len >= 2 ? get16(m->body) : 0;
}

/* Reads messages until a result, printing and discarding others (as the reference examples do). */
static inline int await_result(int fd) {
    struct msg m;
    for (;;) {
        if (!read_msg(fd, &m)) die("the link ended while waiting for a result");
        if (m.type == T_RESULT) return result_status(&m);
        fprintf(stderr, "discarding message type 0x%02x (%u bytes) while waiting for a result\n", m.type, m.len);
    }
}

#endif
