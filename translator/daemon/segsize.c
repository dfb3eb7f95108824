// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-flow segment size table (segsize.h): SEGSIZE_SETS sets of
 * SEGSIZE_WAYS entries, the set chosen by SipHash under a random key.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "siphash.h"
#include "segsize.h"

struct segsize_entry {
	int64_t used;		/* last note or lookup */
	int64_t seen_at;	/* when seen was last confirmed */
	struct segsize_key key;
	uint16_t seen;
	uint16_t peer_mss;
	bool live;
};

struct segsize {
	uint8_t key[SIPHASH_KEY_LEN];
	struct segsize_stats stats;
	struct segsize_entry ent[SEGSIZE_SETS * SEGSIZE_WAYS];
};

struct segsize *segsize_new(const uint8_t key[16])
{
	struct segsize *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (key)
		memcpy(t->key, key, sizeof(t->key));
	else if (getrandom(t->key, sizeof(t->key), GRND_NONBLOCK) !=
		 (ssize_t)sizeof(t->key))
		/* Without entropy the hash still spreads flows; only a
		 * remote host choosing ports could aim at one set. */
		memcpy(t->key, &t, sizeof(t) < sizeof(t->key) ?
		       sizeof(t) : sizeof(t->key));
	return t;
}

void segsize_free(struct segsize *t)
{
	free(t);
}

static bool segsize_alive(const struct segsize_entry *e, int64_t now)
{
	return e->live && now - e->used < SEGSIZE_IDLE_MS;
}

static struct segsize_entry *segsize_set(struct segsize *t,
					 const struct segsize_key *k)
{
	uint64_t h = siphash24(t->key, k, sizeof(*k));

	return &t->ent[(h % SEGSIZE_SETS) * SEGSIZE_WAYS];
}

static struct segsize_entry *segsize_find(struct segsize *t,
					  const struct segsize_key *k,
					  int64_t now)
{
	struct segsize_entry *set = segsize_set(t, k);

	for (int i = 0; i < SEGSIZE_WAYS; i++)
		if (segsize_alive(&set[i], now) &&
		    !memcmp(&set[i].key, k, sizeof(*k)))
			return &set[i];
	return NULL;
}

/* Flow k's entry, made (a dead one, else the least recently used). */
static struct segsize_entry *segsize_get(struct segsize *t,
					 const struct segsize_key *k,
					 int64_t now)
{
	struct segsize_entry *set, *v, *e = segsize_find(t, k, now);

	if (e)
		return e;
	set = segsize_set(t, k);
	v = &set[0];
	for (int i = 0; i < SEGSIZE_WAYS && segsize_alive(v, now); i++)
		if (!segsize_alive(&set[i], now) || set[i].used < v->used)
			v = &set[i];
	if (segsize_alive(v, now))
		t->stats.evicted++;
	t->stats.flows++;
	memset(v, 0, sizeof(*v));
	v->key = *k;
	v->live = true;
	return v;
}

/* The seen size, unless it went unconfirmed too long. */
static uint16_t segsize_seen(struct segsize_entry *e, int64_t now)
{
	if (e->seen && now - e->seen_at >= SEGSIZE_SEEN_MS)
		e->seen = 0;
	return e->seen;
}

void segsize_note_data(struct segsize *t, const struct segsize_key *k,
		       uint32_t payload, int64_t now_ms)
{
	struct segsize_entry *e = segsize_get(t, k, now_ms);
	uint16_t seen = segsize_seen(e, now_ms);

	e->used = now_ms;
	if (!payload || payload > UINT16_MAX || payload < seen)
		return;
	if (payload > seen)
		t->stats.raised++;
	e->seen = (uint16_t)payload;
	e->seen_at = now_ms;
}

void segsize_note_mss(struct segsize *t, const struct segsize_key *k,
		      uint16_t mss, int64_t now_ms)
{
	struct segsize_entry *e = segsize_get(t, k, now_ms);

	e->used = now_ms;
	e->seen = 0;
	e->peer_mss = mss;
}

void segsize_note_peer_mss(struct segsize *t, const struct segsize_key *k,
			   uint16_t mss, int64_t now_ms)
{
	struct segsize_entry *e = segsize_get(t, k, now_ms);

	e->used = now_ms;
	e->peer_mss = mss;
}

bool segsize_lookup(struct segsize *t, const struct segsize_key *k,
		    uint32_t payload, int64_t now_ms, struct segsize_info *info)
{
	struct segsize_entry *e = segsize_find(t, k, now_ms);

	memset(info, 0, sizeof(*info));
	if (!e)
		return false;
	e->used = now_ms;
	if (segsize_seen(e, now_ms) && payload <= e->seen) {
		/* An aggregate holds a full segment and more. */
		e->seen = 0;
		t->stats.stale++;
	}
	info->seen = e->seen;
	info->peer_mss = e->peer_mss;
	return true;
}

const struct segsize_stats *segsize_stats(const struct segsize *t)
{
	return &t->stats;
}
