// SPDX-License-Identifier: GPL-2.0-or-later
#include "stats.h"

const struct counter_info xlat_counter_info[XLAT_CNT_MAX] = {
#define XLAT_INFO(id, name, desc) [XLAT_CNT_##id] = { name, desc },
	XLAT_COUNTERS(XLAT_INFO)
#undef XLAT_INFO
};
