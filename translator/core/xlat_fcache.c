// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fast path's address cache (xlat_fcache.h): allocation and the
 * epoch that forgets every entry at once.
 */
#include <stdlib.h>
#include <string.h>

#include "xlat_fcache.h"

struct xlat_fcache *xlat_fcache_new(void)
{
	struct xlat_fcache *fc = calloc(1, sizeof(*fc));

	if (fc)
		fc->epoch = 1;
	return fc;
}

void xlat_fcache_free(struct xlat_fcache *fc)
{
	free(fc);
}

void xlat_fcache_flush(struct xlat_fcache *fc)
{
	if (!fc)
		return;
	fc->cfg = NULL;
	/* The tag keeps 31 bits of the epoch: clear before it wraps. */
	if (++fc->epoch >= 1u << 31) {
		memset(fc->e6, 0, sizeof(fc->e6));
		memset(fc->e4, 0, sizeof(fc->e4));
		fc->epoch = 1;
	}
}
