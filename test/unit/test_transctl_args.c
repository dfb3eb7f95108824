// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl's run-time commands (eamt, denylist4, address): the command
 * line, the argument checks, the output formats, and one exchange each
 * with a stand-in translatord on a Unix socket (request sent, reply
 * printed, errors worded, exit statuses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "transctl.h"
#include "verbparse.h"

static void test_eamt_args(void **state)
{
	const struct transctl_verb_cmd *c = &transctl_eamt_cmd;
	struct transctl_verb_args a;
	char err[256];

	(void)state;
	vp_parses_to(c, "eamt", "eamt show");
	vp_parses_to(c, "eamt show", "eamt show");
	vp_parses_to(c, "eamt add 2001:db8::/120 10.0.0.0/24",
		  "eamt add 2001:db8::/120 10.0.0.0/24");
	/* Either order, as in the file; options anywhere. */
	vp_parses_to(c, "eamt add 10.0.0.0/24 --control /x 2001:db8::/120",
		  "eamt add 10.0.0.0/24 2001:db8::/120");
	vp_parses_to(c, "eamt remove 2001:db8::1", "eamt remove 2001:db8::1");
	vp_parses_to(c, "eamt remove 10.0.0.0/24", "eamt remove 10.0.0.0/24");

	assert_int_equal(vp_parse(c, "eamt show --json -s /tmp/c.sock", &a, err,
			       sizeof(err)), 0);
	assert_true(a.json);
	assert_false(a.help);
	assert_string_equal(a.path, "/tmp/c.sock");
	assert_string_equal(a.verb->name, "show");
	assert_int_equal(vp_parse(c, "eamt add", &a, err, sizeof(err)),
			 TRANSCTL_USAGE);
	assert_string_equal(a.verb->name, "add");	/* named in messages */
	assert_int_equal(vp_parse(c, "eamt", &a, err, sizeof(err)), 0);
	assert_string_equal(a.path, CTL_DEFAULT_PATH);
	assert_false(a.json);
	assert_int_equal(vp_parse(c, "eamt add --help", &a, err, sizeof(err)), 0);
	assert_true(a.help);

	vp_refused(c, "eamt frob", "unknown subcommand 'frob' (show, add, remove)");
	vp_refused(c, "eamt add 2001:db8::/120",
		"missing argument (usage: eamt add PREFIX6 PREFIX4)");
	vp_refused(c, "eamt show extra",
		"too many arguments (usage: eamt show)");
	vp_refused(c, "eamt remove",
		"missing argument (usage: eamt remove PREFIX6|PREFIX4)");
	vp_refused(c, "eamt add 10.0.0.0/24 10.1.0.0/24",
		"needs one IPv6 and one IPv4 prefix, not '10.0.0.0/24' and "
		"'10.1.0.0/24'");
	vp_refused(c, "eamt add 2001:db8::1/120 10.0.0.0/24",
		"bad IPv6 prefix '2001:db8::1/120': host bits set past /120 "
		"(2001:db8::/120?)");
	vp_refused(c, "eamt add 2001:db8::/129 10.0.0.0/24",
		"bad IPv6 prefix '2001:db8::/129': the length must be 0..128");
	vp_refused(c, "eamt add 2001:db8::/120 10.0.0.256/24",
		"bad IPv4 prefix '10.0.0.256/24': not an IPv4 address");
	vp_refused(c, "eamt add 2001:db8::/120 10.0.0.0/",
		"bad IPv4 prefix '10.0.0.0/': the length must be 0..32");
	vp_refused(c, "eamt add 2001:db8::/120 10.0.0.0/24 --json",
		"--json does not apply here");
	vp_refused(c, "eamt remove 10.0.0.1/24",
		"bad IPv4 prefix '10.0.0.1/24': host bits set past /24 "
		"(10.0.0.0/24?)");
	vp_refused(c, "eamt show --control", "option '--control' needs an argument");
	vp_refused(c, "eamt show --frob", "unknown option '--frob'");
	vp_refused(c, "eamt show -x", "unknown option '-x'");
}

static void test_denylist4_args(void **state)
{
	const struct transctl_verb_cmd *c = &transctl_denylist4_cmd;

	(void)state;
	vp_parses_to(c, "denylist4", "denylist4 show");
	vp_parses_to(c, "denylist4 add 192.0.2.0/24", "denylist4 add 192.0.2.0/24");
	vp_parses_to(c, "denylist4 add 192.0.2.7", "denylist4 add 192.0.2.7");
	vp_parses_to(c, "denylist4 remove 0.0.0.0/0", "denylist4 remove 0.0.0.0/0");
	vp_refused(c, "denylist4 add 192.0.2.5/24",
		"bad IPv4 prefix '192.0.2.5/24': host bits set past /24 "
		"(192.0.2.0/24?)");
	vp_refused(c, "denylist4 add 2001:db8::/32",
		"bad IPv4 prefix '2001:db8::/32': not an IPv4 address");
	vp_refused(c, "denylist4 add 192.0.2.0/33",
		"bad IPv4 prefix '192.0.2.0/33': the length must be 0..32");
	vp_refused(c, "denylist4 add", "missing argument (usage: denylist4 add "
		"PREFIX4)");
	vp_refused(c, "denylist4 del 192.0.2.0/24",
		"unknown subcommand 'del' (show, add, remove)");
}

static void test_address_args(void **state)
{
	const struct transctl_verb_cmd *c = &transctl_address_cmd;
	struct transctl_verb_args a;
	char err[256];

	(void)state;
	vp_parses_to(c, "address query 192.0.2.1", "address query 192.0.2.1");
	vp_parses_to(c, "address query 2001:db8::1 --json",
		  "address query 2001:db8::1");
	assert_int_equal(vp_parse(c, "address query ::1 -j", &a, err,
			       sizeof(err)), 0);
	assert_true(a.json);
	vp_refused(c, "address", "missing subcommand (query)");
	vp_refused(c, "address 192.0.2.1", "unknown subcommand '192.0.2.1' (query)");
	vp_refused(c, "address query", "missing argument (usage: address query ADDR [PORT])");
	vp_parses_to(c, "address query 192.0.2.1 40123",
		     "address query 192.0.2.1 40123");
	vp_refused(c, "address query 192.0.2.1 65536",
		   "bad port '65536' (0..65535)");
	vp_refused(c, "address query 192.0.2.0/24", "bad address '192.0.2.0/24': "
		"an address is asked about, not a prefix");
	vp_refused(c, "address query frob",
		"bad address 'frob': not an IPv4 or IPv6 address");
	vp_refused(c, "address query 1.2.3.4.5",
		"bad address '1.2.3.4.5': not an IPv4 or IPv6 address");
}

static void test_check_prefix(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(transctl_check_prefix("0.0.0.0/0", 4, err, sizeof(err)), 0);
	assert_int_equal(transctl_check_prefix("::/0", 6, err, sizeof(err)), 0);
	assert_int_equal(transctl_check_prefix("::/0", 0, err, sizeof(err)), 0);
	assert_int_equal(transctl_check_prefix("10.0.0.0/8", 0, err, sizeof(err)), 0);
	assert_int_equal(transctl_check_prefix("10.0.0.0/8", 6, err, sizeof(err)), -1);
	assert_string_equal(err, "bad IPv6 prefix '10.0.0.0/8': not an IPv6 address");
	assert_int_equal(transctl_check_prefix("10.128.0.0/1", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "bad IPv4 prefix '10.128.0.0/1': host bits set past /1 (0.0.0.0/1?)");
	assert_int_equal(transctl_check_prefix("2001:db8::ff/121", 6, err, sizeof(err)), -1);
	assert_string_equal(err, "bad IPv6 prefix '2001:db8::ff/121': host bits set past /121 (2001:db8::80/121?)");
	assert_int_equal(transctl_check_prefix("10.0.0.0/-1", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "bad IPv4 prefix '10.0.0.0/-1': the length must be 0..32");
	assert_int_equal(transctl_check_addr("::ffff:192.0.2.1", err, sizeof(err)), 0);
}

/* Runs a formatter on a copy of body and returns what it wrote. */
static char *format(int (*fn)(const struct transctl_columns *, char *,
			      const struct transctl_fmt *, FILE *),
		    const struct transctl_columns *cols,
		    const char *body, bool json, int *ret)
{
	struct transctl_fmt fmt = {
		json ? TRANSCTL_FMT_JSON : TRANSCTL_FMT_TABLE, false,
	};

	char *copy = strdup(body), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*ret = fn ? fn(cols, copy, &fmt, f) : transctl_print_keyvals(copy, &fmt, f);
	fclose(f);
	free(copy);
	return text;
}

static const char *const eamt_headers[] = { "IPV6 PREFIX", "IPV4 PREFIX" };
static const char *const eamt_fields[] = { "ipv6", "ipv4" };
static const struct transctl_columns eamt_cols = {
	"eamt", 2, eamt_headers, eamt_fields, 0, 0,
};

static void check_format(const struct transctl_columns *cols,
			 const char *body, bool json, const char *want)
{
	int ret;
	char *got = format(cols ? transctl_print_rows : NULL, cols, body, json,
			   &ret);

	assert_int_equal(ret, 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_print_rows(void **state)
{
	static const char body[] = "2001:db8:ffff::/120\t198.51.100.0/24\n"
				   "2001:db8::1/128\t192.0.2.1/32\n";
	int ret;
	char *got;

	(void)state;
	check_format(&eamt_cols, body, false,
		     "IPV6 PREFIX          IPV4 PREFIX\n"
		     "2001:db8:ffff::/120  198.51.100.0/24\n"
		     "2001:db8::1/128      192.0.2.1/32\n");
	check_format(&eamt_cols, body, true,
		     "{\"eamt\": [\n"
		     "  {\"ipv6\": \"2001:db8:ffff::/120\", \"ipv4\": \"198.51.100.0/24\"},\n"
		     "  {\"ipv6\": \"2001:db8::1/128\", \"ipv4\": \"192.0.2.1/32\"}\n"
		     "]}\n");
	/* An empty table: the header alone, or an empty list. */
	check_format(&eamt_cols, "", false, "IPV6 PREFIX  IPV4 PREFIX\n");
	check_format(&eamt_cols, "", true, "{\"eamt\": []}\n");
	/* A reply that does not fit the columns prints nothing. */
	got = format(transctl_print_rows, &eamt_cols, "a\tb\tc\n", false, &ret);
	assert_int_equal(ret, -1);
	assert_string_equal(got, "");
	free(got);
	got = format(transctl_print_rows, &eamt_cols, "a\tb\nc\n", true, &ret);
	assert_int_equal(ret, -1);
	assert_string_equal(got, "");
	free(got);
	/* Many rows (the cell array grows). */
	{
		char big[40 * 64] = "";
		size_t off = 0;
		char *text;
		const char *p;
		int lines = 0;

		for (int i = 0; i < 40; i++)
			off += (size_t)snprintf(big + off, sizeof(big) - off,
						"2001:db8::%x/128\t10.0.0.%d/32\n",
						i, i);
		text = format(transctl_print_rows, &eamt_cols, big, false, &ret);
		assert_int_equal(ret, 0);
		for (p = text; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 41);
		assert_non_null(strstr(text, "\n2001:db8::27/128  10.0.0.39/32\n"));
		free(text);
	}
}

static void test_print_keyvals(void **state)
{
	static const char body[] = "address\t192.0.2.9\n"
				   "rule\tnone\n"
				   "result\t-\n"
				   "reason\tsays \"why\"\n";
	int ret;
	char *got;

	(void)state;
	check_format(NULL, body, false,
		     "address  192.0.2.9\n"
		     "rule     none\n"
		     "result   -\n"
		     "reason   says \"why\"\n");
	check_format(NULL, body, true,
		     "{\n"
		     "  \"address\": \"192.0.2.9\",\n"
		     "  \"rule\": \"none\",\n"
		     "  \"result\": null,\n"
		     "  \"reason\": \"says \\\"why\\\"\"\n"
		     "}\n");
	check_format(NULL, "", true, "{}\n");
	got = format(NULL, NULL, "no tab here\n", true, &ret);
	assert_int_equal(ret, -1);
	free(got);
}

/* --- against a stand-in translatord ---------------------------------- */

struct fake {
	char dir[64];
	char path[96];
	pid_t pid;
	int req_fd;		/* the request the stand-in received */
};

/* The stand-in's listening socket, in a fresh directory. */
static int fake_listen(struct fake *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int lfd;

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_transctl.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/ctl.sock", f->dir);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", f->path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	return lfd;
}

/* Serves one connection: reads the request, answers reply, reports it. */
static void fake_start(struct fake *f, const char *reply)
{
	int lfd = fake_listen(f), pfd[2];

	assert_int_equal(pipe(pfd), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		char req[CTL_MAX_REQUEST + 1];
		ssize_t n, got = 0;
		int c;

		alarm(10);
		c = accept(lfd, NULL, NULL);
		while (c >= 0 && (n = read(c, req + got,
					   sizeof(req) - 1 - (size_t)got)) > 0)
			got += n;
		if (write(pfd[1], req, (size_t)got) != got ||
		    write(c, reply, strlen(reply)) < 0)
			_exit(1);
		_exit(0);
	}
	close(lfd);
	close(pfd[1]);
	f->req_fd = pfd[0];
}

/*
 * translatord refusing a client (not root): one line, then close without
 * reading the request. The client meets EPIPE or ECONNRESET and must
 * still read that line.
 */
static void fake_refuse(struct fake *f, const char *reply)
{
	int lfd = fake_listen(f);

	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		int c;

		alarm(10);
		c = accept(lfd, NULL, NULL);
		/* Let the request arrive first: it stays unread. */
		usleep(100000);
		if (c < 0 || write(c, reply, strlen(reply)) < 0)
			_exit(1);
		_exit(0);
	}
	close(lfd);
	f->req_fd = -1;
}

static void fake_stop(struct fake *f, const char *want_request)
{
	char req[CTL_MAX_REQUEST + 1];
	ssize_t n = f->req_fd < 0 ? 0 : read(f->req_fd, req, sizeof(req) - 1);
	int status;

	assert_true(n >= 0);
	req[n] = '\0';
	if (want_request)
		assert_string_equal(req, want_request);
	assert_int_equal(waitpid(f->pid, &status, 0), f->pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (f->req_fd >= 0)
		close(f->req_fd);
	unlink(f->path);
	rmdir(f->dir);
}

/* Runs a command line with --control PATH appended; out/err captured. */
static int run(const struct transctl_verb_cmd *cmd, const char *line,
	       const char *path, char **out, char **err)
{
	char buf[512], *argv[16], *save = NULL;
	size_t olen = 0, elen = 0;
	FILE *fo = open_memstream(out, &olen), *fe = open_memstream(err, &elen);
	int argc = 0, ret;

	snprintf(buf, sizeof(buf), "%s --control %s", line, path);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 15;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	ret = transctl_verb_exec(cmd, argc, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	return ret;
}

static void test_exec_show(void **state)
{
	struct fake f;
	char *out, *err;

	(void)state;
	fake_start(&f, "ok\n2001:db8:ffff::/120\t198.51.100.0/24\n");
	assert_int_equal(run(&transctl_eamt_cmd, "eamt", f.path, &out, &err),
			 TRANSCTL_OK);
	fake_stop(&f, "eamt show\n");
	assert_string_equal(out, "IPV6 PREFIX          IPV4 PREFIX\n"
				 "2001:db8:ffff::/120  198.51.100.0/24\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void test_exec_errors(void **state)
{
	struct fake f;
	char *out, *err;

	(void)state;
	/* translatord's own wording, its "eamt add:" said once. */
	fake_start(&f, "error eamt add: 2001:db8::/120 10.0.0.0/24 overlaps\n");
	assert_int_equal(run(&transctl_eamt_cmd,
			     "eamt add 2001:db8::/120 10.0.0.0/24", f.path,
			     &out, &err), TRANSCTL_ERR);
	fake_stop(&f, "eamt add 2001:db8::/120 10.0.0.0/24\n");
	assert_string_equal(out, "");
	assert_string_equal(err, "transctl eamt add: 2001:db8::/120 "
				 "10.0.0.0/24 overlaps\n");
	free(out);
	free(err);

	fake_start(&f, "error permission denied: root only\n");
	assert_int_equal(run(&transctl_denylist4_cmd, "denylist4", f.path,
			     &out, &err), TRANSCTL_ERR);
	fake_stop(&f, "denylist4 show\n");
	assert_string_equal(err, "transctl denylist4 show: permission "
				 "denied: root only\n");
	free(out);
	free(err);

	/* A reply that is not a table. */
	fake_start(&f, "ok\nthree\tcells\there\n");
	assert_int_equal(run(&transctl_denylist4_cmd, "denylist4 show", f.path,
			     &out, &err), TRANSCTL_ERR);
	fake_stop(&f, "denylist4 show\n");
	assert_string_equal(err, "transctl denylist4 show: malformed reply "
				 "from translatord\n");
	free(out);
	free(err);

	/* No daemon: the path tried, and the likely reason. */
	assert_int_equal(run(&transctl_address_cmd, "address query ::1",
			     "/nonexistent/ctl.sock", &out, &err),
			 TRANSCTL_ERR);
	assert_string_equal(err, "transctl address query: cannot connect to "
				 "/nonexistent/ctl.sock: No such file or "
				 "directory (is translatord running?)\n");
	free(out);
	free(err);

	/* A bad command line never reaches the socket. */
	assert_int_equal(run(&transctl_eamt_cmd, "eamt bogus",
			     "/nonexistent/ctl.sock", &out, &err),
			 TRANSCTL_USAGE);
	assert_string_equal(err, "transctl eamt: unknown subcommand 'bogus' "
				 "(show, add, remove)\n"
				 "Try 'transctl eamt --help'.\n");
	free(out);
	free(err);
	assert_int_equal(run(&transctl_eamt_cmd, "eamt --help",
			     "/nonexistent/ctl.sock", &out, &err), TRANSCTL_OK);
	assert_non_null(strstr(out, "Usage: transctl eamt [show]"));
	free(out);
	free(err);
}

static void test_exec_refused(void **state)
{
	struct fake f;
	char *out, *err;

	(void)state;
	fake_refuse(&f, "error permission denied: root only\n");
	assert_int_equal(run(&transctl_eamt_cmd, "eamt show", f.path, &out,
			     &err), TRANSCTL_ERR);
	fake_stop(&f, NULL);
	assert_string_equal(err, "transctl eamt show: permission denied: "
				 "root only\n");
	free(out);
	free(err);
	/* An "ok" cut short that way is not taken for a whole reply. */
	fake_refuse(&f, "ok\nhalf a table\n");
	assert_int_equal(run(&transctl_eamt_cmd, "eamt show", f.path, &out,
			     &err), TRANSCTL_ERR);
	fake_stop(&f, NULL);
	assert_non_null(strstr(err, "transctl eamt show: "));
	assert_string_equal(out, "");
	free(out);
	free(err);
}

/* "transctl -s PATH COMMAND ...": the options move after the command. */
static void global_is(const char *line, const char *want)
{
	char buf[256], *argv[16], *out[17], got[256] = "", err[160];
	char *save = NULL;
	int argc = 0, n;
	size_t off = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 15;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	n = transctl_global_args(argc, argv, out, err, sizeof(err));
	if (n < 0) {
		assert_string_equal(err, want);
		return;
	}
	assert_null(out[n]);
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s",
					i ? " " : "", out[i]);
	assert_string_equal(got, want);
}

static void test_global_args(void **state)
{
	struct transctl_verb_args a;
	char err[256];

	(void)state;
	global_is("transctl -s /x status", "status -s /x");
	global_is("transctl --control /x -j session show tcp",
		  "session --control /x -j show tcp");
	global_is("transctl --control=/y --json bib", "bib --control=/y --json");
	global_is("transctl -s/z eamt add 2001:db8::/120 10.0.0.0/24",
		  "eamt -s/z add 2001:db8::/120 10.0.0.0/24");
	global_is("transctl -s", "option '-s' needs an argument");
	global_is("transctl -s /x", "missing command");
	global_is("transctl -x status", "unknown option '-x' before the "
		  "command (-s, --control, -j, --json, --csv, -n, --numeric)");
	global_is("transctl --controlx /x status", "unknown option "
		  "'--controlx' before the command (-s, --control, -j, --json, --csv, "
		  "-n, --numeric)");
	/* Parsed as if written after the command. */
	assert_int_equal(vp_parse(&transctl_eamt_cmd, "eamt -s /x --json show",
				  &a, err, sizeof(err)), 0);
	assert_string_equal(a.path, "/x");
	assert_true(a.json);
	assert_string_equal(a.request, "eamt show");
}

/* The daemon's gate: whole, or refused whole with the reason. */
static void test_request_check(void **state)
{
	char big[CTL_MAX_REQUEST + 8], err[128];

	(void)state;
	assert_int_equal(ctl_request_check("status\n", 7, 0, err,
					   sizeof(err)), 6);
	assert_int_equal(ctl_request_check("status\r\nxx", 10, 0, err,
					   sizeof(err)), 6);
	assert_int_equal(ctl_request_check("stat", 4, 0, err, sizeof(err)), 0);
	assert_int_equal(ctl_request_check("stat", 4, 1, err, sizeof(err)), 4);
	assert_int_equal(ctl_request_check("\n", 1, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "request refused: empty");
	assert_int_equal(ctl_request_check("denylist4 add 64.0.0.0/2\0" "4\n",
					   27, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "request refused: it holds a NUL byte");
	memset(big, ' ', sizeof(big));
	memcpy(big, "status", 6);
	big[CTL_MAX_REQUEST - 1] = '\n';	/* 256 bytes with the newline */
	assert_int_equal(ctl_request_check(big, CTL_MAX_REQUEST, 0, err,
					   sizeof(err)), CTL_MAX_REQUEST - 1);
	big[CTL_MAX_REQUEST - 1] = ' ';
	big[CTL_MAX_REQUEST] = '\n';		/* 257 */
	assert_int_equal(ctl_request_check(big, CTL_MAX_REQUEST, 0, err,
					   sizeof(err)), -1);
	assert_string_equal(err, "request refused: longer than 256 bytes");
	assert_int_equal(ctl_request_check(big, CTL_MAX_REQUEST, 1, err,
					   sizeof(err)), -1);
}

static void test_exec_query_json(void **state)
{
	struct fake f;
	char *out, *err;

	(void)state;
	fake_start(&f, "ok\naddress\t198.51.100.2\nrule\tpool6\n"
		       "queued_by\t-\n");
	assert_int_equal(run(&transctl_address_cmd,
			     "address query 198.51.100.2 --json", f.path,
			     &out, &err), TRANSCTL_OK);
	fake_stop(&f, "address query 198.51.100.2\n");
	assert_string_equal(out, "{\n  \"address\": \"198.51.100.2\",\n"
				 "  \"rule\": \"pool6\",\n"
				 "  \"queued_by\": null\n}\n");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eamt_args),
		cmocka_unit_test(test_denylist4_args),
		cmocka_unit_test(test_address_args),
		cmocka_unit_test(test_check_prefix),
		cmocka_unit_test(test_print_rows),
		cmocka_unit_test(test_print_keyvals),
		cmocka_unit_test(test_exec_show),
		cmocka_unit_test(test_exec_errors),
		cmocka_unit_test(test_exec_query_json),
		cmocka_unit_test(test_exec_refused),
		cmocka_unit_test(test_global_args),
		cmocka_unit_test(test_request_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
