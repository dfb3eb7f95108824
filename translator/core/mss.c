// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP MSS clamping of translated SYNs (config `mss-clamp yes`).
 *
 * The MSS option (RFC 9293 section 3.7.1) tells the peer the largest
 * segment the SYN's sender can receive. Across a translator the peer's
 * segments change family on the way back, so an MSS computed for one
 * family's header can make packets that do not fit the other side. The
 * translator lowers the option to what fits both sides' MTUs, like an
 * iptables TCPMSS --clamp-mss-to-pmtu rule would on a plain router.
 */
#include "xlat_priv.h"

#define TCP_HLEN	20u
#define TCP_FLAGS	13
#define TCP_SYN		0x02
#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2
/* Below this the clamp would only make things worse (RFC 9293: 536 is
 * the IPv4 default; Linux refuses to go under 48). */
#define MSS_FLOOR	64u

static uint32_t mss_fit(uint32_t mtu, size_t hdr)
{
	return mtu > hdr + TCP_HLEN + MSS_FLOOR ?
	       mtu - (uint32_t)hdr - TCP_HLEN : MSS_FLOOR;
}

uint32_t mss_limit(uint32_t mtu_back, size_t hdr_back, uint32_t mtu_fwd,
		   size_t hdr_fwd)
{
	uint32_t back = mss_fit(mtu_back, hdr_back);
	uint32_t fwd = mss_fit(mtu_fwd, hdr_fwd);

	return back < fwd ? back : fwd;
}

/* Offset of the TCP header of an unfragmented translated packet, or 0. */
static size_t mss_tcp_offset(const uint8_t *pkt, size_t len)
{
	if ((pkt[0] >> 4) == 4) {
		if (len < IP4_HLEN + TCP_HLEN || pkt[IP4_PROTO] != IPPROTO_TCP ||
		    (rd16(pkt + IP4_FRAG) & (IP4_MF | IP4_OFFMASK)))
			return 0;
		return (size_t)(pkt[0] & 0x0f) * 4;
	}
	/* The core writes no extension header but a Fragment header. */
	if (len < IP6_HLEN + TCP_HLEN || pkt[IP6_NH] != IPPROTO_TCP)
		return 0;
	return IP6_HLEN;
}

/*
 * Writes a lower MSS value at offset off of the TCP header t and updates
 * the checksum (RFC 1624). The checksum works on 16-bit words: when the
 * value straddles two words, the 4-byte window around it is replaced
 * (the byte after an odd-placed option is still inside the header, whose
 * length is a multiple of 4).
 */
static void mss_rewrite(uint8_t *t, size_t off, uint32_t max)
{
	size_t a = off & ~(size_t)1, n = (off & 1) ? 4 : 2;
	uint8_t old[4];

	if (rd16(t + off) <= max)
		return;
	memcpy(old, t + a, n);
	wr16(t + off, (uint16_t)max);
	wrcsum(t + TCP_CSUM, csum_replace(rdcsum(t + TCP_CSUM), old, n,
					  t + a, n));
}

size_t xlat_tcp_mss_off(const uint8_t *t, size_t doff)
{
	size_t i;

	for (i = TCP_HLEN; i < doff;) {
		if (t[i] == TCPOPT_EOL)
			return 0;
		if (t[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff || t[i + 1] < 2 || i + t[i + 1] > doff)
			return 0;
		if (t[i] == TCPOPT_MSS && t[i + 1] == 4)
			return i + 2;
		i += t[i + 1];
	}
	return 0;
}

void xlat_mss_clamp(uint8_t *pkt, size_t len, uint32_t max)
{
	size_t th = mss_tcp_offset(pkt, len), doff, off;
	uint8_t *t;

	if (!th || th + TCP_HLEN > len || !(pkt[th + TCP_FLAGS] & TCP_SYN))
		return;
	t = pkt + th;
	doff = (size_t)(t[12] >> 4) * 4;
	if (doff < TCP_HLEN || th + doff > len)
		return;
	off = xlat_tcp_mss_off(t, doff);
	if (off)
		mss_rewrite(t, off, max);
}
