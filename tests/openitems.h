/* SPDX-License-Identifier: MIT */
/*
 * The board's open items as tw_items, every kind, oldest first by seq (the
 * order the model kept before it was indexed): for tests that look at the
 * whole model at once. Copied out through the board's read API into a
 * buffer this header owns, valid until the next call. Header only.
 */
#ifndef TW_TEST_OPENITEMS_H
#define TW_TEST_OPENITEMS_H

#include <stdlib.h>

#include "board.h"
#include "util.h"

static int openitems_by_seq(const void *a, const void *b)
{
    int64_t x = ((const tw_item *)a)->seq, y = ((const tw_item *)b)->seq;
    return (x > y) - (x < y);
}

static __attribute__((unused)) const tw_item *open_items(const tw_board *board, size_t *count)
{
    static tw_item *buf;
    static size_t cap;
    size_t n = tw_board_count(board, TW_KIND_COUNT);
    if (n + 1 > cap) {
        cap = n + 1;
        buf = tw_xrealloc(buf, cap * sizeof(*buf));
    }
    size_t i = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        for (const tw_item_view *v = tw_board_first(board, (tw_kind)k); v && i < n;
             v = tw_board_next(board, v))
            tw_item_from_view(v, &buf[i++]);
    qsort(buf, i, sizeof(*buf), openitems_by_seq);
    if (count)
        *count = i;
    return buf;
}

#endif
