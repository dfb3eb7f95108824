// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Jool's global settings that apply here, with Jool's names and meaning:
 * mtu-plateaus, drop-icmpv6-info, randomize-rfc6791-addresses,
 * eam-hairpin-mode, and for NAT64 handle-rst-during-fin-rcv and f-args.
 * Their rows are walked after those of config_table.c and
 * config_nat64.c. Each is read by the core or the NAT64 state at every
 * packet from the configuration in force, so a reload changes it.
 *
 * The NAT64 two are written back like the other NAT64 scalars: in mode
 * nat64, or when they differ from their defaults.
 */
#include <stdlib.h>
#include <string.h>

#include "config_table.h"

#define FIELD(f) offsetof(struct config, f)

/* RFC 1191 section 7, Table 7-1: the plateaus Jool uses by default. */
static const uint16_t plateaus_default[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

#define NPLATEAUS_DEFAULT (sizeof(plateaus_default) / sizeof(plateaus_default[0]))

void config_jool_init(struct config *cfg)
{
	memcpy(cfg->mtu_plateaus, plateaus_default, sizeof(plateaus_default));
	cfg->mtu_plateau_count = NPLATEAUS_DEFAULT;
	cfg->drop_icmpv6_info = false;
	cfg->randomize_rfc6791 = true;
	cfg->eam_hairpin = CONFIG_EAM_HAIRPIN_INTRINSIC;
	cfg->nat64.handle_rst_during_fin_rcv = false;
	cfg->nat64.f_args = NAT64_FARGS_DEFAULT;
}

/* --- mtu-plateaus -------------------------------------------------------- */

static int cmp_desc(const void *a, const void *b)
{
	return (int)*(const uint16_t *)b - (int)*(const uint16_t *)a;
}

/*
 * "N,N,...": 1..CONFIG_PLATEAUS_MAX numbers of 68..65535 (the smallest
 * IPv4 MTU, RFC 791; the largest Total Length), no two equal, in any
 * order: kept sorted from the largest down. Nothing changes on error.
 */
static int apply_plateaus(struct config *cfg, const struct config_directive *d,
			  char **argv, char *err, size_t errlen)
{
	uint16_t v[CONFIG_PLATEAUS_MAX];
	char buf[CONFIG_PLATEAUS_MAX * 6 + 1], *tok, *save = NULL;
	uint32_t n = 0, x;

	if (strlen(argv[0]) >= sizeof(buf) || argv[0][0] == ',' ||
	    argv[0][strlen(argv[0]) - 1] == ',' || strstr(argv[0], ",,"))
		return config_fail(err, errlen,
				   "%s: '%s' is not a list N,N,... of at most %d numbers",
				   d->name, argv[0], CONFIG_PLATEAUS_MAX);
	strcpy(buf, argv[0]);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == CONFIG_PLATEAUS_MAX)
			return config_fail(err, errlen,
					   "%s: more than %d plateaus",
					   d->name, CONFIG_PLATEAUS_MAX);
		if (config_parse_u32(tok, &x) != 0 || x < 68 || x > 65535)
			return config_fail(err, errlen,
					   "%s: '%s' is not a number of 68..65535",
					   d->name, tok);
		for (uint32_t i = 0; i < n; i++)
			if (v[i] == x)
				return config_fail(err, errlen,
						   "%s: %u given twice",
						   d->name, x);
		v[n++] = (uint16_t)x;
	}
	qsort(v, n, sizeof(v[0]), cmp_desc);
	memcpy(cfg->mtu_plateaus, v, n * sizeof(v[0]));
	cfg->mtu_plateau_count = n;
	return 0;
}

static void write_plateaus(const struct config *cfg,
			   const struct config_directive *d, FILE *f)
{
	fprintf(f, "%s ", d->name);
	for (uint32_t i = 0; i < cfg->mtu_plateau_count; i++)
		fprintf(f, "%s%u", i ? "," : "", cfg->mtu_plateaus[i]);
	fputc('\n', f);
}

/* --- eam-hairpin-mode --------------------------------------------------- */

static const char *const hairpin_names[] = {
	[CONFIG_EAM_HAIRPIN_OFF] = "off",
	[CONFIG_EAM_HAIRPIN_SIMPLE] = "simple",
	[CONFIG_EAM_HAIRPIN_INTRINSIC] = "intrinsic",
};

static int apply_hairpin(struct config *cfg, const struct config_directive *d,
			 char **argv, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(hairpin_names) / sizeof(hairpin_names[0]);
	     i++) {
		if (strcmp(argv[0], hairpin_names[i]) == 0) {
			cfg->eam_hairpin = (enum config_eam_hairpin)i;
			return 0;
		}
	}
	return config_fail(err, errlen,
			   "%s: '%s' is not off, simple or intrinsic",
			   d->name, argv[0]);
}

static void write_hairpin(const struct config *cfg,
			  const struct config_directive *d, FILE *f)
{
	fprintf(f, "%s %s\n", d->name, hairpin_names[cfg->eam_hairpin]);
}

/* --- f-args ------------------------------------------------------------- */

static int apply_fargs(struct config *cfg, const struct config_directive *d,
		       char **argv, char *err, size_t errlen)
{
	uint32_t v;

	if (config_parse_u32(argv[0], &v) != 0 || v > 15)
		return config_fail(err, errlen,
				   "%s: '%s' is not a number of 0..15",
				   d->name, argv[0]);
	cfg->nat64.f_args = v;
	return 0;
}

static void write_fargs(const struct config *cfg,
			const struct config_directive *d, FILE *f)
{
	if (cfg->mode == CONFIG_MODE_NAT64 ||
	    cfg->nat64.f_args != NAT64_FARGS_DEFAULT)
		fprintf(f, "%s %u\n", d->name, cfg->nat64.f_args);
}

/* --- the table ----------------------------------------------------------- */

#define YESNO(n, f, h) \
	{ n, NULL, "yes|no", 1, config_apply_bool, config_write_bool, \
	  FIELD(f), 0, 0, 0, h }
/* A NAT64 setting: flag holds the default, for the writer. */
#define NAT64_YESNO(n, f, def, h) \
	{ n, NULL, "yes|no", 1, config_apply_bool, config_write_nat64_bool, \
	  FIELD(f), def, 0, 0, h }

const struct config_directive config_jool_directives[] = {
	{ "mtu-plateaus", NULL, "N,N,...", 1, apply_plateaus, write_plateaus,
	  0, 0, 0, 0,
	  "RFC 1191 MTUs guessed for a Fragmentation Needed with MTU 0" },
	YESNO("drop-icmpv6-info", drop_icmpv6_info,
	      "drop ICMPv6 echo requests and replies instead of translating"),
	YESNO("randomize-rfc6791-addresses", randomize_rfc6791,
	      "pick rfc6791v4-prefix addresses at random (no: by hop limit)"),
	{ "eam-hairpin-mode", NULL, "off|simple|intrinsic", 1, apply_hairpin,
	  write_hairpin, 0, 0, 0, 0,
	  "RFC 7757 4.2 hairpinning of EAMT addresses (intrinsic)" },
	NAT64_YESNO("handle-rst-during-fin-rcv",
		    nat64.handle_rst_during_fin_rcv, 0,
		    "a RST in a FIN RCV state makes the session transitory"),
	{ "f-args", NULL, "0..15", 1, apply_fargs, write_fargs, 0, 0, 0, 0,
	  "RFC 6056 F() inputs: 8 src addr, 4 src port, 2 dst addr, 1 dst port (11)" },
};

const size_t config_jool_directives_count =
	sizeof(config_jool_directives) / sizeof(config_jool_directives[0]);
