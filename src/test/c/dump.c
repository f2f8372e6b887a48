/*
 * dump: prints every message it reads on fd 0 as one line of hex (header and body), until EOF;
 * shows the bytes the manager relays to an mlet.
 */
#include "pktlab_link.h"

int main(void) {
    struct msg m;
    while (read_msg(0, &m)) {
        printf("%02x%02x%02x%02x", m.type, (m.len >> 16) & 0xff, (m.len >> 8) & 0xff, m.len & 0xff);
        for (uint32_t i = 0; i < m.len; i++) printf("%02x", m.body[i]);
        printf("\n");
    }
    return 0;
}
