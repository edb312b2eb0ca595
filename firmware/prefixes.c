/* SPDX-License-Identifier: MIT */
#include "prefixes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "util.h"

#define BITS (1u << (5 * TW_REF_MIN)) /* five bits a character */

struct tw_prefixes {
    bool blind;        /* a hash outside the alphabet was noted */
    int8_t value[256]; /* a character's five bits, -1 outside the alphabet */
    uint8_t bit[BITS / 8];
};

static long index_of(const tw_prefixes *p, const char *hash)
{
    long ix = 0;
    for (int i = 0; i < TW_REF_MIN; i++) {
        int v = p->value[(unsigned char)hash[i]]; /* NUL is -1: a short hash ends */
        if (v < 0)
            return -1;
        ix = ix << 5 | v;
    }
    return ix;
}

tw_prefixes *tw_prefixes_create(void)
{
    tw_prefixes *p = tw_xcalloc(1, sizeof(tw_prefixes));
    static const char alphabet[] = TW_HASH_ALPHABET;
    memset(p->value, -1, sizeof(p->value));
    for (int i = 0; i < 32; i++)
        p->value[(unsigned char)alphabet[i]] = (int8_t)i;
    return p;
}

void tw_prefixes_destroy(tw_prefixes *p)
{
    free(p);
}

bool tw_prefixes_add(tw_prefixes *p, const char *hash)
{
    long ix = hash ? index_of(p, hash) : -1;
    if (ix < 0) {
        p->blind = true;
        return false;
    }
    p->bit[ix >> 3] |= (uint8_t)(1u << (ix & 7));
    return true;
}

bool tw_prefixes_maybe(const tw_prefixes *p, const char *hash)
{
    long ix = hash ? index_of(p, hash) : -1;
    return p->blind || ix < 0 || (p->bit[ix >> 3] >> (ix & 7) & 1);
}
