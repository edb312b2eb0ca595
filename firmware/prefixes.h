/* SPDX-License-Identifier: MIT */
/*
 * Which ref prefixes the store's items hold: one bit for each of the
 * 32^4 = 1,048,576 first-four-character prefixes of an item hash
 * (128 KiB). A clear bit says no item's hash starts so, so a new item with
 * that prefix is its ref group alone and takes the four characters as its
 * ref without a lookup (firmware/store.c, assign_ref). Bits are only ever
 * set: an item deleted leaves its bit, and the store then looks, as it
 * always did. Pure: no store access.
 */
#ifndef TW_PREFIXES_H
#define TW_PREFIXES_H

#include <stdbool.h>

typedef struct tw_prefixes tw_prefixes;

tw_prefixes *tw_prefixes_create(void);
/* NULL is a no-op. */
void tw_prefixes_destroy(tw_prefixes *p);

/* Note hash's prefix. False if hash does not start with four characters of
 * the hash alphabet: then nothing can be told apart (tw_prefixes_maybe()
 * says true for everything from then on). */
bool tw_prefixes_add(tw_prefixes *p, const char *hash);

/* Might an item noted so far share hash's first four characters? */
bool tw_prefixes_maybe(const tw_prefixes *p, const char *hash);

#endif
