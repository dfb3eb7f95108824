#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# reseg.sh with `egress tun`: aggregates written whole to a TUN device
# with IFF_VNET_HDR, for the kernel's GSO to split at egress.
EGRESS=tun
. "${srcdir:-$(dirname "$0")/../..}/test/integration/reseg.sh"
