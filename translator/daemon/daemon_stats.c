// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdio.h>

#include "daemon_stats.h"

const struct counter_info dstat_info[DSTAT_MAX] = {
#define DSTAT_INFO(id, name, desc) [DSTAT_##id] = { name, desc },
	DSTAT_COUNTERS(DSTAT_INFO)
#undef DSTAT_INFO
};

#define DSTAT_PROC_QUEUES "/proc/net/netfilter/nfnetlink_queue"

int dstat_kqueue_read(uint16_t queue, struct dstat_kqueue *out)
{
	unsigned int num, portid, total, mode, range, seq, one;
	uint64_t qdrop, udrop;
	char line[256];
	int ret = -1;
	FILE *f;

	/*
	 * One line per bound queue: queue_number peer_portid queue_total
	 * copy_mode copy_range queue_dropped user_dropped id_sequence 1.
	 */
	f = fopen(DSTAT_PROC_QUEUES, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %u %u %u %u %" SCNu64 " %" SCNu64 " %u %u",
			   &num, &portid, &total, &mode, &range, &qdrop,
			   &udrop, &seq, &one) != 9 || num != queue)
			continue;
		out->queue_total = total;
		out->queue_dropped = qdrop;
		out->user_dropped = udrop;
		out->id_sequence = seq;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
