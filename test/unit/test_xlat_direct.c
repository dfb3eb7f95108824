// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The direct window (xlat_out_direct): the first packet of a call is
 * written into the caller's egress slot, so that the daemon copies it
 * no more (docs/performance.md, "Copies per packet"). Every packet runs
 * through two translators of one configuration, one with windows (one
 * buffer per side, as raw egress gives) and one without: the output
 * must be the same bytes, the same packets, the same counters; and the
 * window must hold exactly the first packet when it fits, never any
 * later one (fragments, hairpins' final packet), nothing when too small.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX];
static _Alignas(8) uint8_t win[2][PB_MAX];

struct dx {
	struct pb_env d, ref;
};

static int dx_setup(void **state)
{
	static struct dx dx;

	pb_env_setup(&dx.d, NULL);
	pb_env_setup(&dx.ref, NULL);
	*state = &dx;
	return 0;
}

static int dx_teardown(void **state)
{
	struct dx *x = *state;

	pb_env_teardown(&x->d);
	pb_env_teardown(&x->ref);
	return 0;
}

/*
 * Translates pkt with windows of room bytes and without; returns how
 * many output packets the windows hold (0 or 1) after checking both
 * agree byte for byte.
 */
static unsigned int dx_run(struct dx *x, enum xlat_side from, size_t len,
			   size_t room)
{
	struct xlat_in in = { .side = from, .data = pkt, .len = len };
	enum xlat_verdict vd, vr;
	unsigned int i, direct = 0;

	vr = pb_run(&x->ref, from, pkt, len);
	xlat_out_reset(&x->d.out);
	memset(win, 0xee, sizeof(win));
	xlat_out_direct(&x->d.out, XLAT_SIDE_V6, win[XLAT_SIDE_V6], room);
	xlat_out_direct(&x->d.out, XLAT_SIDE_V4, win[XLAT_SIDE_V4], room);
	vd = xlat_packet(&x->d.ctx, &in, &x->d.out);
	xlat_count_sent_all(&x->d.st, &x->d.out);
	assert_int_equal(vd, vr);
	assert_int_equal(x->d.out.count, x->ref.out.count);
	for (i = 0; i < x->ref.out.count; i++) {
		const struct xlat_out_pkt *a = &x->d.out.pkt[i];
		const struct xlat_out_pkt *b = &x->ref.out.pkt[i];

		assert_int_equal(a->len, b->len);
		assert_int_equal(a->side, b->side);
		assert_int_equal(a->flags, b->flags);
		assert_memory_equal(a->data, b->data, b->len);
		if (a->data == win[a->side]) {
			assert_int_equal(i, 0);
			assert_true(a->len <= room);
			direct++;
		} else {
			assert_ptr_not_equal(a->data, win[!a->side]);
		}
	}
	/* A packet in the window takes no arena bytes. */
	if (direct)
		assert_int_equal(x->d.out.used,
				 x->ref.out.used - (x->ref.out.pkt[0].data -
						    x->ref.out.arena) -
				 x->ref.out.pkt[0].len);
	else	/* less when a packet cut or hairpinned was in the window */
		assert_true(x->d.out.used <= x->ref.out.used);
	assert_memory_equal(&x->d.st, &x->ref.st, sizeof(x->ref.st));
	return direct;
}

static size_t udp6(size_t n, uint8_t hlim)
{
	struct pb6 h = {
		.src = "2001:db8:2::5", .dst = "2001:db8:1c0:2:21::",
		.proto = 17, .hlim = hlim,
	};

	pb_pattern(data, n, 1);
	return pb_ip6(pkt, &h, l4, pb_udp(l4, 4000, 53, data, n));
}

static size_t udp4(size_t n, bool df, uint8_t ttl, const char *dst)
{
	struct pb4 h = {
		.src = "192.0.2.33", .dst = dst, .proto = 17, .df = df,
		.ttl = ttl, .id = 77,
	};

	pb_pattern(data, n, 2);
	return pb_ip4(pkt, &h, l4, pb_udp(l4, 53, 4000, data, n));
}

/* The common case, both ways, small and large: in the window. */
static void test_plain_direct(void **state)
{
	struct dx *x = *state;
	static const size_t sizes[] = { 18, 1172, 1452 };

	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(dx_run(x, XLAT_SIDE_V6, udp6(sizes[i], 0),
					2032), 1);
		assert_int_equal(x->d.out.pkt[0].side, XLAT_SIDE_V4);
		assert_int_equal(dx_run(x, XLAT_SIDE_V4,
					udp4(sizes[i], true, 0, "10.0.0.5"),
					2032), 1);
		assert_int_equal(x->d.out.pkt[0].side, XLAT_SIDE_V6);
	}
	assert_int_equal(x->d.out.used, 0);
}

/* A window too small for the translation: the arena, as before. */
static void test_too_small(void **state)
{
	struct dx *x = *state;

	assert_int_equal(dx_run(x, XLAT_SIDE_V6, udp6(1172, 0), 1100), 0);
	assert_int_equal(dx_run(x, XLAT_SIDE_V4,
				udp4(1172, true, 0, "10.0.0.5"), 0), 0);
}

/* Our own ICMP error, first packet of its call: in its side's window. */
static void test_error_direct(void **state)
{
	struct dx *x = *state;

	assert_int_equal(dx_run(x, XLAT_SIDE_V6, udp6(100, 1), 2032), 1);
	assert_int_equal(x->d.out.pkt[0].side, XLAT_SIDE_V6);
	assert_true(x->d.out.pkt[0].flags & XLAT_OUT_ERROR);
	assert_int_equal(dx_run(x, XLAT_SIDE_V4,
				udp4(100, true, 1, "10.0.0.5"), 2032), 1);
	assert_int_equal(x->d.out.pkt[0].side, XLAT_SIDE_V4);
}

/* Fragments (DF=0 over 1280) are cut into the arena from the window. */
static void test_fragments(void **state)
{
	struct dx *x = *state;

	assert_int_equal(dx_run(x, XLAT_SIDE_V4,
				udp4(1452, false, 0, "10.0.0.5"), 2032), 0);
	assert_int_equal(x->d.out.count, 2);
	assert_true(x->d.out.pkt[0].flags & XLAT_OUT_FRAG);
}

/* RFC 7757 4.2: a hairpin's IPv4 leg may use the window, never its end. */
static void test_hairpin(void **state)
{
	struct dx *x = *state;
	struct pb6 h = {
		.src = "2001:db8:2::5", .dst = "2001:db8:10a:0:7::",
		.proto = 17,
	};

	pb_pattern(data, 200, 3);
	assert_int_equal(dx_run(x, XLAT_SIDE_V6,
				pb_ip6(pkt, &h, l4,
				       pb_udp(l4, 4000, 53, data, 200)),
				2032), 0);
	assert_int_equal(x->d.out.count, 1);
	assert_int_equal(x->d.out.pkt[0].side, XLAT_SIDE_V6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_direct),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_error_direct),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_hairpin),
	};

	return cmocka_run_group_tests(tests, dx_setup, dx_teardown);
}
