// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "icmp_ext.h"

#define ICMP_EXT_HDR	8u
#define ICMP_EXT_MIN_FIELD 128u	/* RFC 4884 section 4.1 */

void icmp_ext_split(const uint8_t *ic, size_t len, size_t unit, bool has_len,
		    size_t len_off, struct icmp_ext *b)
{
	size_t field = has_len ? (size_t)ic[len_off] * unit : 0;
	size_t body = len - ICMP_EXT_HDR;

	b->inner = ic + ICMP_EXT_HDR;
	b->inner_len = body;
	b->ext = NULL;
	b->ext_len = 0;
	if (!field || field >= body)
		return;
	b->inner_len = field;
	b->ext = ic + ICMP_EXT_HDR + field;
	b->ext_len = body - field;
}

size_t icmp_ext_place(const struct icmp_ext *b, uint8_t *buf, size_t n,
		      size_t room, size_t unit, bool has_len, size_t len_off)
{
	size_t field;

	if (has_len)
		buf[len_off] = 0;
	if (!b->ext_len || !has_len)
		goto plain;
	/*
	 * The field must be a whole number of units (RFC 4884 4.1). A quote
	 * longer than 128 bytes is cut down to one rather than padded up:
	 * it is a partial quote either way, and the message does not grow
	 * (Jool does the same, so both translators emit identical errors).
	 */
	field = n / unit * unit;
	if (field < ICMP_EXT_MIN_FIELD)
		field = ICMP_EXT_MIN_FIELD;
	if (ICMP_EXT_HDR + field + b->ext_len > room) {
		if (room < ICMP_EXT_HDR + ICMP_EXT_MIN_FIELD + b->ext_len)
			goto plain;
		field = (room - ICMP_EXT_HDR - b->ext_len) / unit * unit;
	}
	if (n < field)
		memset(buf + ICMP_EXT_HDR + n, 0, field - n);
	memcpy(buf + ICMP_EXT_HDR + field, b->ext, b->ext_len);
	buf[len_off] = (uint8_t)(field / unit);
	return ICMP_EXT_HDR + field + b->ext_len;
plain:
	return ICMP_EXT_HDR + n > room ? room : ICMP_EXT_HDR + n;
}
