#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# reseg.sh with `egress raw`: aggregates split in userspace, segments and
# everything else sent through raw sockets.
EGRESS=raw
. "${srcdir:-$(dirname "$0")/../..}/test/integration/reseg.sh"
