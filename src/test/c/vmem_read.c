/*
 * vmem_read: reads the endpoint's host id (0x10030000, 256 bytes NUL-padded) and its clock
 * (0x10010000, u64 pktlab time) from its virtual memory (spec/agents.md §C.12) with two mread
 * requests on fd 0, and prints them.
 */
#include "pktlab_link.h"

enum { HOSTID = 0x10030000, HOSTID_LEN = 256, CLOCK = 0x10010000 };

static const struct msg *mread(uint32_t addr, uint16_t len) {
    static struct msg m;
    uint8_t body[6];
    put32(body, addr);
    put16(body + 4, len);
    send_msg(0, T_MREAD, body, sizeof body);
    for (;;) {
        if (!read_msg(0, &m)) die("vmem_read: the link ended while waiting for mdata");
        if (m.type == T_MDATA) break;
        if (m.type == T_RESULT) {
            fprintf(stderr, "vmem_read: mread 0x%08x refused with status 0x%04x\n", addr, result_status(&m));
            exit(1);
        }
    }
    if (m.len != 4u + len || get32(m.body) != addr) die("vmem_read: mdata does not answer the mread");
    return &m;
}

int main(void) {
    const struct msg *m = mread(HOSTID, HOSTID_LEN);
    char hostid[HOSTID_LEN + 1];
    memcpy(hostid, m->body + 4, HOSTID_LEN);
    hostid[HOSTID_LEN] = 0;
    m = mread(CLOCK, 8);
    printf("hostid %s\nclock %llu\n", hostid, (unsigned long long)get64(m->body + 4));
    return 0;
}
