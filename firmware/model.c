/* SPDX-License-Identifier: MIT */
/*
 * The open items, compact and indexed. Each item is one allocation: a tree
 * node, its tw_item_view, and its strings packed after it (a typical post is
 * about 250 bytes here against tw_item's 2 KB). Each kind's items form an AVL
 * tree in (created, seq) order whose nodes carry their subtree's size, so the
 * n-th item and an item's index cost O(log n) and walking on from any item is
 * a successor step. Two open-addressing tables (linear probing, deletion by
 * backward shift, so no tombstones build up under churn) map seq and id to
 * the node. An update builds the new entry and swaps it in: the strings of a
 * claimed item (claimed_by) change size, and rebuilding keeps each entry one
 * block.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "model"
#include "model.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

typedef struct node {
    struct node *link[2], *parent; /* left, right */
    uint32_t size;                 /* nodes in this subtree */
    int32_t height;                /* of this subtree; a leaf is 1 */
    size_t bytes;                  /* allocated for this node */
    tw_item_view v;
    char str[]; /* the view's strings */
} node;

/* A table of nodes by key: capacity a power of two, at most 3/4 full. Each
 * slot holds its key (the seq, or the id's hash) beside the node, so a probe
 * never touches a node it does not want: with the key in the node, every
 * probe of a run was a cache miss, 3 % of the board's time under a flood. */
typedef struct slot {
    uint64_t key;
    node *n; /* NULL: empty */
} slot;

typedef struct table {
    slot *slot;
    size_t cap, n;
} table;

struct tw_model {
    node *root[TW_KIND_COUNT];
    table by_seq, by_id;
    int64_t seq_high;
    size_t bytes; /* nodes' allocations */
};

#define NODE_OF(view) ((node *)((char *)(view)-offsetof(node, v)))

/* ---- the order ---- */

/* Does a come before b in its kind? The one place the order is decided. */
static bool before(const tw_item_view *a, const tw_item_view *b)
{
    if (a->created != b->created)
        return a->created < b->created;
    return a->seq < b->seq;
}

/* ---- the tables ---- */

static uint64_t hash_seq(int64_t seq)
{
    uint64_t x = (uint64_t)seq * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ^ (h >> 31);
}

/* by_seq and by_id differ only in the key: the seq itself, or the id's
 * hash (then a match is confirmed with strcmp). */
static uint64_t node_key(const tw_model *m, const table *t, const node *n)
{
    return t == &m->by_id ? hash_id(n->v.id) : (uint64_t)n->v.seq;
}

static size_t home(const table *t, uint64_t key)
{
    return (size_t)(hash_seq((int64_t)key) & (t->cap - 1));
}

static void table_insert_raw(table *t, uint64_t key, node *n)
{
    size_t mask = t->cap - 1, i = home(t, key);
    while (t->slot[i].n)
        i = (i + 1) & mask;
    t->slot[i] = (slot){key, n};
    t->n++;
}

static void table_grow(table *t)
{
    table old = *t;
    t->cap = old.cap ? old.cap * 2 : 64;
    t->slot = tw_xcalloc(t->cap, sizeof(*t->slot));
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].n)
            table_insert_raw(t, old.slot[i].key, old.slot[i].n);
    free(old.slot);
}

static void table_add(const tw_model *m, table *t, node *n)
{
    if ((t->n + 1) * 4 > t->cap * 3)
        table_grow(t);
    table_insert_raw(t, node_key(m, t, n), n);
}

/* The slot holding n (which must be in t). */
static size_t table_slot_of(const tw_model *m, const table *t, const node *n)
{
    size_t mask = t->cap - 1, i = home(t, node_key(m, t, n));
    while (t->slot[i].n != n)
        i = (i + 1) & mask;
    return i;
}

/* Remove slot i, shifting back the entries of the run after it that hashed
 * at or before the hole, so every lookup still finds its entry. */
static void table_remove_at(table *t, size_t i)
{
    size_t mask = t->cap - 1;
    t->slot[i] = (slot){0, NULL};
    t->n--;
    for (size_t j = (i + 1) & mask; t->slot[j].n; j = (j + 1) & mask) {
        size_t h = home(t, t->slot[j].key);
        /* Move slot j into the hole unless its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
        if (!stays) {
            t->slot[i] = t->slot[j];
            t->slot[j] = (slot){0, NULL};
            i = j;
        }
    }
}

/* Swap old for new in t (they share the key). */
static void table_replace(const tw_model *m, table *t, const node *old, node *new)
{
    t->slot[table_slot_of(m, t, old)].n = new;
}

/* ---- the trees ---- */

static int32_t height(const node *n)
{
    return n ? n->height : 0;
}

static uint32_t size(const node *n)
{
    return n ? n->size : 0;
}

static void update(node *n)
{
    int32_t l = height(n->link[0]), r = height(n->link[1]);
    n->height = 1 + (l > r ? l : r);
    n->size = 1 + size(n->link[0]) + size(n->link[1]);
}

/* Put v where u was under u's parent (or as the root). */
static void replace_child(node **root, node *u, node *v)
{
    node *p = u->parent;
    if (!p)
        *root = v;
    else
        p->link[p->link[1] == u] = v;
    if (v)
        v->parent = p;
}

/* Rotate n's child on side 1-dir up into n's place; returns that child. */
static node *rotate(node **root, node *n, int dir)
{
    node *c = n->link[1 - dir];
    replace_child(root, n, c);
    n->link[1 - dir] = c->link[dir];
    if (c->link[dir])
        c->link[dir]->parent = n;
    c->link[dir] = n;
    n->parent = c;
    update(n);
    update(c);
    return c;
}

/* From n up to the root: sizes and heights again, rotations where a subtree
 * leans by two. */
static void rebalance(node **root, node *n)
{
    while (n) {
        update(n);
        int32_t b = height(n->link[0]) - height(n->link[1]);
        if (b > 1) {
            node *l = n->link[0];
            if (height(l->link[0]) < height(l->link[1]))
                rotate(root, l, 0);
            n = rotate(root, n, 1);
        } else if (b < -1) {
            node *r = n->link[1];
            if (height(r->link[1]) < height(r->link[0]))
                rotate(root, r, 1);
            n = rotate(root, n, 0);
        }
        n = n->parent;
    }
}

static void tree_insert(node **root, node *n)
{
    node *p = NULL, **at = root;
    while (*at) {
        p = *at;
        at = &p->link[!before(&n->v, &p->v)];
    }
    n->link[0] = n->link[1] = NULL;
    n->parent = p;
    n->size = 1;
    n->height = 1;
    *at = n;
    rebalance(root, p);
}

static node *extreme(node *n, int dir)
{
    while (n && n->link[dir])
        n = n->link[dir];
    return n;
}

static void tree_remove(node **root, node *z)
{
    node *from;
    if (z->link[0] && z->link[1]) {
        node *y = extreme(z->link[1], 0); /* successor: no left child */
        if (y->parent != z) {
            from = y->parent;
            replace_child(root, y, y->link[1]);
            y->link[1] = z->link[1];
            y->link[1]->parent = y;
        } else {
            from = y;
        }
        replace_child(root, z, y);
        y->link[0] = z->link[0];
        y->link[0]->parent = y;
    } else {
        from = z->parent;
        replace_child(root, z, z->link[0] ? z->link[0] : z->link[1]);
    }
    rebalance(root, from);
}

/* Put new where old is in the tree (same position in the order). */
static void tree_swap(node **root, node *old, node *new)
{
    new->link[0] = old->link[0];
    new->link[1] = old->link[1];
    new->size = old->size;
    new->height = old->height;
    replace_child(root, old, new);
    for (int d = 0; d < 2; d++)
        if (new->link[d])
            new->link[d]->parent = new;
}

/* Next node in direction dir (1 newer, 0 older). */
static node *step(node *n, int dir)
{
    if (n->link[dir])
        return extreme(n->link[dir], 1 - dir);
    while (n->parent && n->parent->link[dir] == n)
        n = n->parent;
    return n->parent;
}

/* ---- entries ---- */

static char *pack(char *at, const char **field, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(at, s, n);
    *field = at;
    return at + n;
}

static node *node_new(const tw_item *it)
{
    const char *strs[] = {it->id, it->ref, it->text, it->author, it->source, it->claimed_by};
    size_t len = 0;
    for (size_t i = 0; i < TW_ARRAY_LEN(strs); i++)
        len += strnlen(strs[i], TW_TEXT_SIZE - 1) + 1;
    size_t bytes = sizeof(node) + len;
    node *n = tw_xmalloc(bytes);
    memset(n, 0, sizeof(*n));
    n->bytes = bytes;
    tw_item_view *v = &n->v;
    v->seq = it->seq;
    v->kind = it->kind;
    v->state = it->state;
    v->created = it->created;
    v->claimed = it->claimed;
    v->resolved = it->resolved;
    v->updated = it->updated;
    /* tw_item's buffers are terminated (the store and the board fill them
     * with tw_strlcpy), so strlen is bounded by each buffer. */
    char *at = n->str;
    at = pack(at, &v->id, it->id);
    at = pack(at, &v->ref, it->ref);
    at = pack(at, &v->text, it->text);
    at = pack(at, &v->author, it->author);
    at = pack(at, &v->source, it->source);
    pack(at, &v->claimed_by, it->claimed_by);
    v->resolved_by = "";
    return n;
}

/* ---- the model ---- */

tw_model *tw_model_create(void)
{
    return tw_xcalloc(1, sizeof(tw_model));
}

static void free_tree(node *n)
{
    while (n) {
        free_tree(n->link[0]);
        node *r = n->link[1];
        free(n);
        n = r;
    }
}

void tw_model_clear(tw_model *m)
{
    if (!m)
        return;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        free_tree(m->root[k]);
    free(m->by_seq.slot);
    free(m->by_id.slot);
    memset(m, 0, sizeof(*m));
}

void tw_model_destroy(tw_model *m)
{
    if (!m)
        return;
    tw_model_clear(m);
    free(m);
}

static node *find_seq(const tw_model *m, int64_t seq)
{
    const table *t = &m->by_seq;
    if (!t->n)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = home(t, (uint64_t)seq); t->slot[i].n; i = (i + 1) & mask)
        if (t->slot[i].key == (uint64_t)seq)
            return t->slot[i].n;
    return NULL;
}

static void drop(tw_model *m, node *n)
{
    tree_remove(&m->root[n->v.kind], n);
    table_remove_at(&m->by_seq, table_slot_of(m, &m->by_seq, n));
    table_remove_at(&m->by_id, table_slot_of(m, &m->by_id, n));
    m->bytes -= n->bytes;
    free(n);
}

void tw_model_put(tw_model *m, const tw_item *item)
{
    if (!m || !item || (unsigned)item->kind >= TW_KIND_COUNT)
        return;
    /* A new post's seq is above everything held: nothing to look up. */
    node *old = item->seq > m->seq_high ? NULL : find_seq(m, item->seq);
    if (item->state == TW_STATE_RESOLVED) {
        if (old)
            drop(m, old);
        return;
    }
    node *n = node_new(item);
    m->bytes += n->bytes;
    if (item->seq > m->seq_high)
        m->seq_high = item->seq;
    if (old && old->v.kind == n->v.kind && old->v.created == n->v.created &&
        strcmp(old->v.id, n->v.id) == 0) {
        /* Same place in the order and the same keys: swap in place. */
        tree_swap(&m->root[n->v.kind], old, n);
        table_replace(m, &m->by_seq, old, n);
        table_replace(m, &m->by_id, old, n);
        m->bytes -= old->bytes;
        free(old);
        return;
    }
    if (old)
        drop(m, old);
    tree_insert(&m->root[n->v.kind], n);
    table_add(m, &m->by_seq, n);
    table_add(m, &m->by_id, n);
}

size_t tw_model_count(const tw_model *m, tw_kind kind)
{
    if (!m)
        return 0;
    if (kind == TW_KIND_COUNT)
        return m->by_seq.n;
    return (unsigned)kind < TW_KIND_COUNT ? size(m->root[kind]) : 0;
}

static const tw_item_view *view(const node *n)
{
    return n ? &n->v : NULL;
}

const tw_item_view *tw_model_first(const tw_model *m, tw_kind kind)
{
    if (!m || (unsigned)kind >= TW_KIND_COUNT)
        return NULL;
    return view(extreme(m->root[kind], 0));
}

const tw_item_view *tw_model_last(const tw_model *m, tw_kind kind)
{
    if (!m || (unsigned)kind >= TW_KIND_COUNT)
        return NULL;
    return view(extreme(m->root[kind], 1));
}

const tw_item_view *tw_model_next(const tw_model *m, const tw_item_view *it)
{
    (void)m;
    return it ? view(step(NODE_OF(it), 1)) : NULL;
}

const tw_item_view *tw_model_prev(const tw_model *m, const tw_item_view *it)
{
    (void)m;
    return it ? view(step(NODE_OF(it), 0)) : NULL;
}

const tw_item_view *tw_model_at(const tw_model *m, tw_kind kind, size_t index)
{
    if (!m || (unsigned)kind >= TW_KIND_COUNT)
        return NULL;
    node *n = m->root[kind];
    while (n) {
        size_t l = size(n->link[0]);
        if (index == l)
            return &n->v;
        if (index < l) {
            n = n->link[0];
        } else {
            index -= l + 1;
            n = n->link[1];
        }
    }
    return NULL;
}

size_t tw_model_rank(const tw_model *m, const tw_item_view *it)
{
    (void)m;
    if (!it)
        return 0;
    const node *n = NODE_OF(it);
    size_t r = size(n->link[0]);
    for (; n->parent; n = n->parent)
        if (n->parent->link[1] == n)
            r += size(n->parent->link[0]) + 1;
    return r;
}

const tw_item_view *tw_model_find_seq(const tw_model *m, int64_t seq)
{
    return m ? view(find_seq(m, seq)) : NULL;
}

const tw_item_view *tw_model_find_id(const tw_model *m, const char *id)
{
    if (!m || !id || !m->by_id.n)
        return NULL;
    const table *t = &m->by_id;
    uint64_t key = hash_id(id);
    size_t mask = t->cap - 1;
    for (size_t i = home(t, key); t->slot[i].n; i = (i + 1) & mask)
        if (t->slot[i].key == key && strcmp(t->slot[i].n->v.id, id) == 0)
            return &t->slot[i].n->v;
    return NULL;
}

int64_t tw_model_seq_high(const tw_model *m)
{
    return m ? m->seq_high : 0;
}

size_t tw_model_bytes(const tw_model *m)
{
    if (!m)
        return 0;
    return sizeof(*m) + m->bytes + (m->by_seq.cap + m->by_id.cap) * sizeof(slot);
}

/* ---- invariants, for tests ---- */

static int check_tree(const node *n, const node *parent, size_t *count)
{
    if (!n)
        return 0;
    if (n->parent != parent)
        return -1;
    if (check_tree(n->link[0], n, count) || check_tree(n->link[1], n, count))
        return -1;
    int32_t l = height(n->link[0]), r = height(n->link[1]);
    if (n->height != 1 + (l > r ? l : r) || l - r > 1 || r - l > 1)
        return -1;
    if (n->size != 1 + size(n->link[0]) + size(n->link[1]))
        return -1;
    if (n->link[0] && !before(&n->link[0]->v, &n->v))
        return -1;
    if (n->link[1] && !before(&n->v, &n->link[1]->v))
        return -1;
    (*count)++;
    return 0;
}

int tw_model_check(const tw_model *m)
{
    if (!m)
        return TW_ERR_INVAL;
    size_t count = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        if (check_tree(m->root[k], NULL, &count))
            return TW_ERR_INVAL;
        size_t i = 0;
        const node *prev = NULL;
        for (const node *n = extreme(m->root[k], 0); n; prev = n, n = step((node *)n, 1), i++)
            if ((int)n->v.kind != k || tw_model_find_seq(m, n->v.seq) != &n->v ||
                tw_model_find_id(m, n->v.id) != &n->v || (prev && !before(&prev->v, &n->v)) ||
                tw_model_rank(m, &n->v) != i || tw_model_at(m, (tw_kind)k, i) != &n->v)
                return TW_ERR_INVAL;
    }
    if (count != m->by_seq.n || count != m->by_id.n)
        return TW_ERR_INVAL;
    return 0;
}
