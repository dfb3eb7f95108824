/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 4884 multi-part ICMP messages: the "original datagram" field and the
 * extension structure after it, for both translation directions.
 */
#ifndef TRANSLATOR_ICMP_EXT_H
#define TRANSLATOR_ICMP_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct icmp_ext {
	const uint8_t *inner;	/* original datagram field */
	size_t inner_len;
	const uint8_t *ext;	/* extension structure, NULL when none */
	size_t ext_len;
};

/*
 * Splits the body of an ICMP error of len bytes at ic. unit is the length
 * attribute's unit (4 for ICMPv4, 8 for ICMPv6), has_len whether the type
 * carries one, at byte len_off. A length that overruns the message is not
 * RFC 4884's: the whole body is then the original datagram.
 */
void icmp_ext_split(const uint8_t *ic, size_t len, size_t unit, bool has_len,
		    size_t len_off, struct icmp_ext *b);

/*
 * Completes a translated error at buf, whose translated original datagram
 * (n bytes) already sits after the 8-byte header: cuts the field down to
 * a whole number of units, or pads it to the 128 bytes RFC 4884 section
 * 4.1 requires, appends the
 * extensions and sets the length attribute. When the whole does not fit
 * in room bytes, the datagram field is cut (never below 128 bytes) so the
 * extensions still fit; failing that they are left out. Returns the
 * message length.
 */
size_t icmp_ext_place(const struct icmp_ext *b, uint8_t *buf, size_t n,
		      size_t room, size_t unit, bool has_len, size_t len_off);

#endif
