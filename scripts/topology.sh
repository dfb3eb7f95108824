#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# topology.sh up|down|show [options]: a test network in network namespaces.
#
#   PREFIX-h6  IPv6-only host   2001:db8:1c0:2:21::/64   (IPv4 view 192.0.2.33)
#      | veth "eth0" <-> "v6"
#   PREFIX-xl  translator       2001:db8:1c0:2:1::/64  and  198.51.100.1/24
#      | veth "v4" <-> "eth0"
#   PREFIX-h4  IPv4-only host   198.51.100.2/24        (IPv6 view 2001:db8:1c6:3364:2::)
#
# With --router4 an IPv4 router sits between the translator and the IPv4
# host (to see translated ICMP errors from a router, e.g. traceroute):
#   PREFIX-xl v4 203.0.113.1/24 <-> PREFIX-r4 203.0.113.2/24,
#   PREFIX-r4 198.51.100.1/24 <-> PREFIX-h4 198.51.100.2/24.
#
# With --router6 an IPv6 router sits between the IPv6 host and the
# translator (a sender behind a narrower IPv6 path, e.g. 1280):
#   PREFIX-h6 2001:db8:1c0:2:21::/64 <-> PREFIX-r6 2001:db8:1c0:2:6::/64,
#   PREFIX-r6 2001:db8:ff:6::2/64 <-> PREFIX-xl v6 2001:db8:ff:6::1/64
#   (outside pool6, so the translator's rules never queue it).
#
# Options:
#   --prefix P      namespace name prefix (default "trt"; use a unique one
#                   per run so that parallel runs do not collide)
#   --mtu6 N        MTU of the translator's IPv6 link (default 1500)
#   --mtu4 N        MTU of the IPv4 link(s) (default 1500)
#   --mtu4far N     with --router4: MTU of the far IPv4 link, r4 <-> h4
#                   (default: --mtu4), so that the path is narrower than
#                   the translator's own link (path MTU discovery)
#   --mtu6far N     with --router6: MTU of the far IPv6 link, h6 <-> r6
#                   (default: --mtu6)
#   --gro on|off    GRO on every veth (default: the kernel's)
#   --tso on|off    TSO and GSO on every veth (default: the kernel's)
#   --gro-list on|off
#                   rx-gro-list on the forwarding namespaces' veths (the
#                   translator's and the router's; default: the kernel's)
#   --udp-gro-fwd on|off
#                   rx-udp-gro-forwarding on the same veths (default: the
#                   kernel's)
#   --router4       add the IPv4 router described above
#   --router6       add the IPv6 router described above
#   --forward       let PREFIX-xl forward IPv6 and IPv4 (kernel baseline)
#
# `down` deletes the namespaces of the prefix and so ends every process
# still running inside them. Needs root (ip netns).
set -euo pipefail

PREFIX=trt
MTU6=1500
MTU4=1500
MTU4FAR=
MTU6FAR=
GRO=
TSO=
GRO_LIST=
UDP_GRO_FWD=
ROUTER4=0
ROUTER6=0
FORWARD=0

usage() {
	sed -n '3,46p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

die() {
	echo "topology.sh: $*" >&2
	exit 1
}

ns() { echo "$PREFIX-$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# link NS_A DEV_A NS_B DEV_B MTU: a veth pair between two namespaces.
link() {
	ip link add "$2" netns "$(ns "$1")" mtu "$5" type veth \
		peer name "$4" netns "$(ns "$3")" mtu "$5"
	nsx "$1" ip link set "$2" up
	nsx "$3" ip link set "$4" up
}

offloads() {
	local n=$1 dev=$2
	if [ -n "$GRO" ]; then
		nsx "$n" ethtool -K "$dev" gro "$GRO" >/dev/null 2>&1 || true
	fi
	if [ -n "$TSO" ]; then
		nsx "$n" ethtool -K "$dev" tso "$TSO" gso "$TSO" \
			>/dev/null 2>&1 || true
	fi
}

# The offloads that only matter where packets are forwarded (GRO of
# segments into one fraglist or UDP aggregate). Unlike offloads(), a
# refusal fails `up` (and undoes it): a test asking for them must get them.
router_offloads() {
	local n=$1 dev=$2
	if [ -n "$GRO_LIST" ] &&
	   ! nsx "$n" ethtool -K "$dev" rx-gro-list "$GRO_LIST" >/dev/null; then
		echo "topology.sh: $(ns "$n") $dev: cannot set rx-gro-list" >&2
		return 1
	fi
	if [ -n "$UDP_GRO_FWD" ] &&
	   ! nsx "$n" ethtool -K "$dev" rx-udp-gro-forwarding "$UDP_GRO_FWD" \
		>/dev/null; then
		echo "topology.sh: $(ns "$n") $dev: cannot set rx-udp-gro-forwarding" >&2
		return 1
	fi
}

# Every namespace: loopback up, quiet sysctls.
mkns() {
	ip netns add "$(ns "$1")"
	nsx "$1" ip link set lo up
	nsx "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

up_hosts() {
	# The IPv6-only host: no IPv4 address at all.
	nsx h6 ip -6 addr add 2001:db8:1c0:2:21::/64 dev eth0 nodad
	if [ "$ROUTER6" = 1 ]; then
		nsx h6 ip -6 route add default via 2001:db8:1c0:2:6:: dev eth0
	else
		nsx h6 ip -6 route add default via 2001:db8:1c0:2:1:: dev eth0
		nsx xl ip -6 addr add 2001:db8:1c0:2:1::/64 dev v6 nodad
	fi
	# The IPv4-only host: IPv6 off.
	nsx h4 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	nsx h4 ip addr add 198.51.100.2/24 dev eth0
	nsx h4 ip route add default via 198.51.100.1 dev eth0
}

up_v4_side() {
	if [ "$ROUTER4" = 1 ]; then
		mkns r4
		link xl v4 r4 west "$MTU4"
		link r4 east h4 eth0 "${MTU4FAR:-$MTU4}"
		offloads r4 west
		offloads r4 east
		router_offloads r4 west
		router_offloads r4 east
		nsx xl ip addr add 203.0.113.1/24 dev v4
		nsx xl ip route add 198.51.100.0/24 via 203.0.113.2 dev v4
		nsx r4 ip addr add 203.0.113.2/24 dev west
		nsx r4 ip addr add 198.51.100.1/24 dev east
		nsx r4 ip route add 192.0.2.0/24 via 203.0.113.1 dev west
		nsx r4 sysctl -qw net.ipv4.ip_forward=1
	else
		link xl v4 h4 eth0 "$MTU4"
		nsx xl ip addr add 198.51.100.1/24 dev v4
	fi
}

up_v6_side() {
	if [ "$ROUTER6" = 1 ]; then
		mkns r6
		link h6 eth0 r6 west "${MTU6FAR:-$MTU6}"
		link r6 east xl v6 "$MTU6"
		offloads r6 west
		offloads r6 east
		router_offloads r6 west
		router_offloads r6 east
		nsx r6 ip -6 addr add 2001:db8:1c0:2:6::/64 dev west nodad
		nsx r6 ip -6 addr add 2001:db8:ff:6::2/64 dev east nodad
		# Everything else of pool6 (the IPv4 hosts) is beyond xl.
		nsx r6 ip -6 route add 2001:db8:100::/40 via 2001:db8:ff:6::1 dev east
		nsx r6 sysctl -qw net.ipv6.conf.all.forwarding=1
		nsx xl ip -6 addr add 2001:db8:ff:6::1/64 dev v6 nodad
		nsx xl ip -6 route add 2001:db8:1c0:2::/64 via 2001:db8:ff:6::2 dev v6
	else
		link h6 eth0 xl v6 "$MTU6"
	fi
}

cmd_up() {
	[ "$(id -u)" = 0 ] || die "needs root"
	if ip netns list | grep -q "^$(ns xl)\b"; then
		die "$(ns xl) exists already (topology.sh down --prefix $PREFIX)"
	fi
	trap 'cmd_down; exit 1' ERR
	mkns h6
	mkns xl
	mkns h4
	up_v6_side
	up_v4_side
	up_hosts
	offloads h6 eth0
	offloads xl v6
	offloads xl v4
	offloads h4 eth0
	router_offloads xl v6
	router_offloads xl v4
	nsx xl sysctl -qw net.ipv6.conf.all.forwarding="$FORWARD" \
		net.ipv4.ip_forward="$FORWARD"
	trap - ERR
	cmd_show
}

cmd_down() {
	local n
	for n in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-" || true); do
		case "$n" in
		"$PREFIX"-h6 | "$PREFIX"-xl | "$PREFIX"-h4 | "$PREFIX"-r4 | \
		"$PREFIX"-r6)
			# Processes left inside would keep nothing alive, but
			# end them so that no test helper outlives its network.
			ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
			ip netns del "$n"
			;;
		esac
	done
}

cmd_show() {
	echo "H6=$(ns h6) XL=$(ns xl) H4=$(ns h4)$([ "$ROUTER4" = 1 ] && echo " R4=$(ns r4)")$([ "$ROUTER6" = 1 ] && echo " R6=$(ns r6)")"
}

[ $# -ge 1 ] || usage
CMD=$1
shift
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) PREFIX=$2; shift ;;
	--mtu6) MTU6=$2; shift ;;
	--mtu4) MTU4=$2; shift ;;
	--mtu4far) MTU4FAR=$2; shift ;;
	--mtu6far) MTU6FAR=$2; shift ;;
	--gro-list) GRO_LIST=$2; shift ;;
	--udp-gro-fwd) UDP_GRO_FWD=$2; shift ;;
	--gro) GRO=$2; shift ;;
	--tso) TSO=$2; shift ;;
	--router4) ROUTER4=1 ;;
	--router6) ROUTER6=1 ;;
	--forward) FORWARD=1 ;;
	-h | --help) usage 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
case "$PREFIX" in
*[!a-zA-Z0-9_]* | "") die "--prefix: letters, digits and _ only" ;;
esac
[ ${#PREFIX} -le 12 ] || die "--prefix: at most 12 characters"
case "${MTU4FAR:-1500}${MTU6FAR:-1500}" in
*[!0-9]* | "") die "--mtu4far/--mtu6far: a number, not '$MTU4FAR$MTU6FAR'" ;;
esac
for v in "$GRO_LIST" "$UDP_GRO_FWD"; do
	case "$v" in
	"" | on | off) ;;
	*) die "--gro-list/--udp-gro-fwd take on or off, not '$v'" ;;
	esac
done
if [ -n "$MTU4FAR" ] && [ "$ROUTER4" = 0 ]; then
	die "--mtu4far needs --router4 (there is no far link without it)"
fi
if [ -n "$MTU6FAR" ] && [ "$ROUTER6" = 0 ]; then
	die "--mtu6far needs --router6 (there is no far link without it)"
fi

case "$CMD" in
up) cmd_up ;;
down) cmd_down ;;
show) cmd_show ;;
-h | --help) usage 0 ;;
*) usage ;;
esac
