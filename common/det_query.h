/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Questions to the pool4-deterministic mapping (det_map.h), answered from
 * a configuration alone: by translatord ("address query ADDR [PORT]",
 * which adds what its BIB holds) and by transctl offline (--config FILE),
 * with the same code, so both always agree.
 *
 * det_query writes "KEY TAB VALUE" lines:
 *   det_entry     the entry (its directive's arguments), or -
 *   det_customer  the customer's prefix: for IPv4 ADDR PORT the one
 *                 owning that port; for IPv4 ADDR alone the first and
 *                 last customer of the address ("A/L-B/L"); for an IPv6
 *                 ADDR the customer holding it
 *   det_ipv4      the customer's IPv4 address
 *   det_ports     its block (the same for TCP, UDP and ICMP ids)
 *   det_source    how the answer was found (the mapping, not a binding)
 */
#ifndef COMMON_DET_QUERY_H
#define COMMON_DET_QUERY_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/* Port absent. */
#define DET_NO_PORT	(-1L)

/*
 * addr: an IPv4 or IPv6 address (inet_pton's form); port: 0..65535 or
 * DET_NO_PORT. Returns 1 (addr is in an entry; lines written), 0 (no
 * entry holds it; "det_entry -" written), -1 (bad addr or port; err).
 */
int det_query(const struct config *cfg, const char *addr, long port, FILE *f,
	      char *err, size_t errlen);

/* "N" 0..65535 as a port: 0 with *port, or -1. */
int det_port_parse(const char *s, long *port);

/*
 * The whole table of entry e in customer order: row(customer prefix,
 * IPv4 address, first port, last port, arg) per customer; stops when row
 * returns nonzero. Streams: nothing is held. Returns the rows done.
 */
typedef int (*det_row_fn)(const char *customer, const char *ipv4,
			  unsigned int lo, unsigned int hi, void *arg);
uint64_t det_dump(const struct det_entry *e, det_row_fn row, void *arg);

#endif
