// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Jool's JSON configuration (facts from Jool's documentation of "atomic
 * configuration": one object; "comment" anywhere; "instance" and
 * "framework"; "global" holding the settings under the names of `jool
 * global update`; SIIT's "eamt" and "denylist4" ("blacklist4",
 * "blacklist", or a "pool4" of strings in older versions); NAT64's
 * "pool4" and "bib" of objects) to translator.conf directives. Each
 * directive is checked by config_apply_line() as it is made, so that an
 * error names the Jool key it came from, and the whole text is parsed
 * again at the end: what is printed is what translatord will read.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import_jool_priv.h"

int imp_fail(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(im->err, im->errlen, "%s: ", im->name);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < im->errlen)
		vsnprintf(im->err + n, im->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void imp_ignored(struct imp *im, const char *key, const char *why)
{
	fprintf(im->warn, "%s: ignored: %s (%s)\n", im->name, key, why);
}

/* One directive: applied to cfg (origin names it in errors), then written. */
int imp_emit(struct imp *im, const char *origin, const char *fmt, ...)
{
	char line[IMP_LINE], msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return imp_fail(im, "%s: value too long", origin);
	if (config_apply_line(&im->cfg, line, msg, sizeof(msg)))
		return imp_fail(im, "%s: '%s': %s", origin, line, msg);
	fprintf(im->text, "%s\n", line);
	return 0;
}

/* A string as "# " lines (a comment line of the file has no newline). */
static void imp_comment_text(struct imp *im, const char *label,
			     const char *text)
{
	char *s = strdup(text), *line, *save = NULL;

	for (line = s ? strtok_r(s, "\r\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		fprintf(im->text, "# %s%s%.900s\n", label ? label : "",
			label ? ": " : "", line);
		label = NULL;
	}
	free(s);
}

/*
 * A Jool "comment" (any JSON value: Jool's examples use objects of
 * strings and lists) as "# " lines: strings as they are, members as
 * "key: value", list items one a line; depth bounded by jansson's.
 */
static void imp_comment_labelled(struct imp *im, const char *label,
				 json_t *v)
{
	const char *key;
	char *dump;
	json_t *e;
	size_t i;

	if (json_is_string(v)) {
		imp_comment_text(im, label, json_string_value(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, e)
			imp_comment_labelled(im, key, e);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			imp_comment_labelled(im, i ? NULL : label, e);
	} else {
		dump = json_dumps(v, JSON_ENCODE_ANY);
		if (dump)
			imp_comment_text(im, label, dump);
		free(dump);
	}
}

void imp_comment(struct imp *im, json_t *v)
{
	imp_comment_labelled(im, NULL, v);
}

/* --- the document ---------------------------------------------------------- */

/* Older SIIT files: a pool4 of prefix strings was the denylist. */
static bool imp_pool4_is_denylist(json_t *pool4)
{
	return json_is_array(pool4) && json_array_size(pool4) &&
	       json_is_string(json_array_get(pool4, 0));
}

static int imp_mode(struct imp *im, json_t *root, enum import_mode *mode)
{
	json_t *pool4 = json_object_get(root, "pool4");
	bool nat64 = json_object_get(root, "bib") ||
		     (pool4 && !imp_pool4_is_denylist(pool4));
	bool siit = json_object_get(root, "eamt") ||
		    json_object_get(root, "denylist4") ||
		    json_object_get(root, "blacklist4") ||
		    json_object_get(root, "blacklist") ||
		    imp_pool4_is_denylist(pool4);

	if (*mode != IMPORT_MODE_AUTO)
		return 0;
	if (nat64 == siit)
		return imp_fail(im, nat64 ? "both SIIT (eamt, denylist4) and "
				"NAT64 (pool4, bib) lists: give --mode" :
				"neither SIIT (eamt, denylist4) nor NAT64 "
				"(pool4, bib) lists: give --mode siit|nat64");
	*mode = nat64 ? IMPORT_MODE_NAT64 : IMPORT_MODE_SIIT;
	return 0;
}

/* The top level's keys, in the order of the output. */
static int imp_top(struct imp *im, const char *key, json_t *v,
		   enum import_mode mode)
{
	bool nat64 = mode == IMPORT_MODE_NAT64;

	if (!strcmp(key, "comment"))
		return 0;	/* written first */
	if (!strcmp(key, "instance"))
		imp_ignored(im, key, "translatord instances are files: "
			    "translatord@NAME reads /etc/translator/NAME.conf");
	else if (!strcmp(key, "framework"))
		imp_ignored(im, key, "translatord receives packets through "
			    "NFQUEUE and installs its own rules: 'rules auto'");
	else if (!strcmp(key, "global"))
		return imp_global(im, v);
	else if (!strcmp(key, "pool6"))
		return imp_global_one(im, "pool6", v);
	else if (!strcmp(key, "eamt"))
		return imp_eamt(im, v);
	else if (!strcmp(key, "denylist4") || !strcmp(key, "blacklist4") ||
		 !strcmp(key, "blacklist") || (!nat64 && !strcmp(key, "pool4")))
		return imp_denylist(im, key, v);
	else if (!strcmp(key, "pool4") && !json_is_array(v))
		return imp_fail(im, "pool4: expected a list");
	else if (!strcmp(key, "pool4"))
		return imp_pool4(im, v);
	else if (!strcmp(key, "bib"))
		return imp_bib(im, v);
	else
		imp_ignored(im, key, "not a Jool key transctl knows");
	return 0;
}

static int imp_document(struct imp *im, json_t *root, enum import_mode mode)
{
	const char *key;
	json_t *v;

	if (!json_is_object(root))
		return imp_fail(im, "expected a JSON object");
	if (imp_mode(im, root, &mode))
		return -1;
	fprintf(im->text, "# imported from Jool's %s by transctl import\n",
		im->name);
	if (json_object_get(root, "comment"))
		imp_comment(im, json_object_get(root, "comment"));
	if (imp_emit(im, "--mode", "mode %s",
		     mode == IMPORT_MODE_NAT64 ? "nat64" : "siit"))
		return -1;
	json_object_foreach(root, key, v)
		if (imp_top(im, key, v, mode))
			return -1;
	return 0;
}

/* The whole text through the parser: the final word. */
static int imp_recheck(struct imp *im)
{
	struct config cfg;
	char msg[512];

	if (config_parse_string(im->name, im->buf, &cfg, msg, sizeof(msg))) {
		snprintf(im->err, im->errlen, "%s", msg);
		return -1;
	}
	config_free(&cfg);
	return 0;
}

int import_jool(const char *json, size_t len, const char *name,
		enum import_mode mode, char **out, FILE *warn, char *err,
		size_t errlen)
{
	struct imp im = {
		.name = name, .warn = warn, .err = err, .errlen = errlen,
	};
	json_error_t jerr;
	json_t *root;
	int ret = -1;

	*out = NULL;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s", name,
			 jerr.line, jerr.column, jerr.text);
		return -1;
	}
	config_init(&im.cfg);
	im.text = open_memstream(&im.buf, &im.len);
	if (!im.text) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	ret = imp_document(&im, root, mode);
	if (fclose(im.text) && !ret)
		ret = imp_fail(&im, "out of memory");
	if (!ret)
		ret = imp_recheck(&im);
	if (!ret) {
		*out = im.buf;
		im.buf = NULL;
	}
	free(im.buf);
out:
	config_free(&im.cfg);
	json_decref(root);
	return ret;
}
