// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `workers N` and the queues it takes: worker w reads queue-tcp + w and
 * queue-other + w (daemon_conf.h).
 */
#include <unistd.h>

#include "daemon_conf.h"

unsigned int daemon_conf_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > DCONF_MAX_WORKERS ? DCONF_MAX_WORKERS : (unsigned int)n;
}

static uint32_t dconf_gap(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

int daemon_conf_check_queues(struct daemon_conf *dc, char *err,
			     size_t errlen)
{
	uint32_t gap = dconf_gap(dc->queue_tcp, dc->queue_other);
	uint32_t top = dc->queue_tcp > dc->queue_other ? dc->queue_tcp :
			dc->queue_other;
	uint32_t room = 65536 - top;

	if (!gap) {
		snprintf(err, errlen, "queue-tcp and queue-other are both %u",
			 dc->queue_tcp);
		return -1;
	}
	if (!dc->workers_set) {
		/* Only the default gives way: a count written in the file
		 * is what the operator asked for. */
		if (dc->workers > gap)
			dc->workers = (uint16_t)gap;
		if (dc->workers > room)
			dc->workers = (uint16_t)room;
		return 0;
	}
	if (dc->workers > gap) {
		snprintf(err, errlen, "workers %u: queues %u-%u (tcp) and "
			 "%u-%u (other) overlap; move queue-tcp or "
			 "queue-other %u apart", dc->workers, dc->queue_tcp,
			 dc->queue_tcp + dc->workers - 1u, dc->queue_other,
			 dc->queue_other + dc->workers - 1u, dc->workers);
		return -1;
	}
	if (dc->workers > room) {
		snprintf(err, errlen, "workers %u: queue %u + %u is past "
			 "65535", dc->workers, top, dc->workers - 1u);
		return -1;
	}
	return 0;
}
