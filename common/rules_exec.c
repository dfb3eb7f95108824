// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running iptables: the listing (`-S`) that says what a crashed instance
 * left, and iptables-restore --noflush, which swaps a chain's content in
 * one transaction (one table replace with legacy, one batch with nft).
 * Input and output go through memfds: no pipe to deadlock on.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "rules.h"

extern char **environ;

/* Output of iptables kept for a listing or an error message. */
#define RULES_OUT_MAX	(1u << 20)

static const char *const rules_bins4[] = {
	"iptables", "iptables-nft", "iptables-legacy",
};
static const char *const rules_bins6[] = {
	"ip6tables", "ip6tables-nft", "ip6tables-legacy",
};

/* A memfd holding text (or empty); -1 on failure. */
static int rules_memfd(const char *text, size_t len)
{
	int fd = memfd_create("translator-rules", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if ((len && write(fd, text, len) != (ssize_t)len) ||
	    lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What a memfd holds, NUL-terminated and capped; NULL on failure. */
static char *rules_slurp(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf;
	ssize_t n;

	if (len < 0 || lseek(fd, 0, SEEK_SET))
		return NULL;
	if (len > (off_t)RULES_OUT_MAX)
		len = RULES_OUT_MAX;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return NULL;
	n = read(fd, buf, (size_t)len);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

struct rules_io {
	const char *in;		/* stdin text, or NULL: /dev/null */
	char *out;		/* stdout, malloc'd */
	char *errtext;		/* stderr, malloc'd */
};

static int rules_spawn_fds(char *const argv[], int fds[3])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int i, status, ret = -1;
	sigset_t none, dfl;
	pid_t pid;

	/* The daemon blocks its signals and ignores SIGPIPE: iptables won't. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if (posix_spawnattr_init(&attr))
		return -1;
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	if (posix_spawn_file_actions_init(&fa)) {
		posix_spawnattr_destroy(&attr);
		return -1;
	}
	for (i = 0; i < 3; i++)
		posix_spawn_file_actions_adddup2(&fa, fds[i], i);
	if (posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ))
		goto out;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			goto out;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
out:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return ret;
}

/* Runs argv with io->in on stdin; keeps stdout and stderr. */
static int rules_spawn(char *const argv[], struct rules_io *io)
{
	int fds[3], i, ret = -1;

	io->out = io->errtext = NULL;
	fds[0] = rules_memfd(io->in, io->in ? strlen(io->in) : 0);
	fds[1] = rules_memfd(NULL, 0);
	fds[2] = rules_memfd(NULL, 0);
	if (fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0) {
		ret = rules_spawn_fds(argv, fds);
		io->out = rules_slurp(fds[1]);
		io->errtext = rules_slurp(fds[2]);
	}
	for (i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret;
}

static void rules_io_free(struct rules_io *io)
{
	free(io->out);
	free(io->errtext);
	io->out = io->errtext = NULL;
}

/* "BIN: first line of its complaint" into err. */
static void rules_io_err(const struct rules_io *io, const char *bin,
			 const char *what, char *err, size_t errlen)
{
	const char *msg = io->errtext && io->errtext[0] ? io->errtext :
			  "failed (no message)";

	snprintf(err, errlen, "%s %s: %.*s", bin, what,
		 (int)strcspn(msg, "\n"), msg);
}

static int rules_probe_one(const char *const *bins, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		char *argv[] = { (char *)bins[i], "-w", RULES_LOCK_WAIT,
				 "-t", "raw", "-S", "PREROUTING", NULL };
		struct rules_io io = { 0 };
		int r = rules_spawn(argv, &io);

		rules_io_free(&io);
		if (r == 0) {
			snprintf(out, RULES_BIN_LEN, "%s", bins[i]);
			return 0;
		}
	}
	return -1;
}

int rules_probe(struct rules_plan *plan, char *err, size_t errlen)
{
	if (rules_probe_one(rules_bins4, 3, plan->bin4) ||
	    rules_probe_one(rules_bins6, 3, plan->bin6)) {
		snprintf(err, errlen, "no working iptables/ip6tables with a raw "
			 "table (install the Debian package iptables)");
		return -1;
	}
	return 0;
}

/* What the raw table holds of chain right now. */
static int rules_look(const char *bin, const char *chain,
		      struct rules_seen *seen, char *err, size_t errlen)
{
	char *argv[] = { (char *)bin, "-w", RULES_LOCK_WAIT, "-t", "raw",
			 "-S", NULL };
	struct rules_io io = { 0 };
	int r = rules_spawn(argv, &io);

	if (r || !io.out) {
		rules_io_err(&io, bin, "-t raw -S", err, errlen);
		rules_io_free(&io);
		return -1;
	}
	rules_scan(io.out, chain, seen);
	rules_io_free(&io);
	return 0;
}

/* Feeds text to BIN-restore --noflush. */
static int rules_restore(const char *bin, const char *text, char *err,
			 size_t errlen)
{
	char restore[RULES_BIN_LEN + 16];
	char *argv[] = { restore, "-w", RULES_LOCK_WAIT, "--noflush", NULL };
	struct rules_io io = { .in = text };
	int r;

	snprintf(restore, sizeof(restore), "%s-restore", bin);
	r = rules_spawn(argv, &io);
	if (r)
		rules_io_err(&io, restore, "refused the rules", err, errlen);
	rules_io_free(&io);
	return r ? -1 : 0;
}

/* One transaction's text, written into f by the caller. */
struct rules_txn {
	char *text;
	size_t len;
	FILE *f;
};

static int rules_txn_open(struct rules_txn *t, char *err, size_t errlen)
{
	t->text = NULL;
	t->f = open_memstream(&t->text, &t->len);
	if (t->f)
		return 0;
	snprintf(err, errlen, "rules: out of memory");
	return -1;
}

/* Feeds what was written to BIN-restore --noflush. */
static int rules_txn_commit(struct rules_txn *t, const char *bin, char *err,
			    size_t errlen)
{
	int r = -1;

	if (fclose(t->f))
		snprintf(err, errlen, "rules: out of memory");
	else
		r = rules_restore(bin, t->text, err, errlen);
	free(t->text);
	return r;
}

/* Loads one family's chain: look, write the transaction, restore. */
static int rules_load(struct rules_plan *plan, int family, char *err,
		      size_t errlen)
{
	const char *bin = family == 4 ? plan->bin4 : plan->bin6;
	struct rules_seen seen;
	struct rules_txn t;
	int r;

	if (rules_look(bin, plan->chain, &seen, err, errlen) ||
	    rules_txn_open(&t, err, errlen))
		return -1;
	rules_restore_text(plan, family, &seen, t.f);
	r = rules_txn_commit(&t, bin, err, errlen);
	if (!r)
		plan->owned |= family == 4 ? RULES_V4 : RULES_V6;
	return r;
}

int rules_install(struct rules_plan *plan, char *err, size_t errlen)
{
	if (!plan->bin4[0] && rules_probe(plan, err, errlen))
		return -1;
	if (rules_load(plan, 4, err, errlen) ||
	    rules_load(plan, 6, err, errlen))
		return -1;
	/* The destinations' rules, as with one worker: the spread chains'
	 * are the same for any configuration. */
	plan->installed = rules_count_family(plan, 4) +
			  rules_count_family(plan, 6);
	return 0;
}

/* Takes chain and its jumps out of one table; the number of rules gone. */
static int rules_unload(const char *bin, const char *chain, char *err,
			size_t errlen)
{
	struct rules_seen seen;
	struct rules_txn t;
	int r;

	if (rules_look(bin, chain, &seen, err, errlen))
		return -1;
	if (!seen.exists && !seen.jumps && !seen.sub[RULES_SUB_TCP] &&
	    !seen.sub[RULES_SUB_OTHER])
		return 0;
	if (rules_txn_open(&t, err, errlen))
		return -1;
	rules_remove_text(chain, &seen, t.f);
	r = rules_txn_commit(&t, bin, err, errlen);
	return r ? -1 : (int)(seen.jumps + seen.rules);
}

int rules_remove(struct rules_plan *plan, char *err, size_t errlen)
{
	int failed = 0;

	if ((plan->owned & RULES_V4) &&
	    rules_unload(plan->bin4, plan->chain, err, errlen) < 0)
		failed++;
	if ((plan->owned & RULES_V6) &&
	    rules_unload(plan->bin6, plan->chain, err, errlen) < 0)
		failed++;
	plan->owned = 0;
	plan->installed = 0;
	return failed;
}

int rules_flush(const char *chain, char *err, size_t errlen)
{
	struct rules_plan p;
	int n4, n6;

	memset(&p, 0, sizeof(p));
	if (rules_probe(&p, err, errlen))
		return -1;
	n4 = rules_unload(p.bin4, chain, err, errlen);
	if (n4 < 0)
		return -1;
	n6 = rules_unload(p.bin6, chain, err, errlen);
	return n6 < 0 ? -1 : n4 + n6;
}
