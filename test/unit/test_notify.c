// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon_notify.c: what translatord tells a Type=notify service manager
 * arrives, whole, on the datagram socket $NOTIFY_SOCKET names (a path or
 * an abstract "@name"); no $NOTIFY_SOCKET, nothing sent and no error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include "daemon_notify.h"

/* A service manager's end: a datagram socket bound to name ("/path" or
 * "@abstract"), exported as $NOTIFY_SOCKET. */
static int listener(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				    n + (name[0] == '/'));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(n < sizeof(sun.sun_path));
	memcpy(sun.sun_path, name, n);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(setenv("NOTIFY_SOCKET", name, 1), 0);
	return fd;
}

static void expect_msg(int fd, const char *want)
{
	char buf[600];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_path_socket(void **state)
{
	char dir[] = "/tmp/test_notify.XXXXXX";
	char path[64];
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	assert_int_equal(dnotify("READY=1\nSTATUS=translating, %u worker%s",
				 2u, "s"), 1);
	expect_msg(fd, "READY=1\nSTATUS=translating, 2 workers");
	assert_int_equal(dnotify("STOPPING=1"), 1);
	expect_msg(fd, "STOPPING=1");
	close(fd);
	unlink(path);
	rmdir(dir);
	unsetenv("NOTIFY_SOCKET");
}

static void test_abstract_socket(void **state)
{
	char name[64];
	char buf[600];
	ssize_t n;
	int fd;

	(void)state;
	snprintf(name, sizeof(name), "@test_notify.%ld", (long)getpid());
	fd = listener(name);
	assert_int_equal(dnotify_reloading(), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "RELOADING=1\nMONOTONIC_USEC="));
	assert_non_null(strstr(buf, "\nSTATUS=reloading"));
	assert_int_equal(dnotify("READY=1"), 1);
	expect_msg(fd, "READY=1");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

/* The built-in sender (the one used without libsystemd), in every build. */
static void test_builtin(void **state)
{
	char dir[] = "/tmp/test_notify.XXXXXX";
	char path[64], name[64];
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	assert_int_equal(dnotify_send_builtin("READY=1\nSTATUS=x"), 1);
	expect_msg(fd, "READY=1\nSTATUS=x");
	close(fd);
	unlink(path);
	rmdir(dir);

	snprintf(name, sizeof(name), "@test_notify_b.%ld", (long)getpid());
	fd = listener(name);
	assert_int_equal(dnotify_send_builtin("STOPPING=1"), 1);
	expect_msg(fd, "STOPPING=1");
	close(fd);

	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	assert_int_equal(dnotify_send_builtin("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(dnotify_send_builtin("READY=1"), 0);
}

static void test_no_manager(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(dnotify("READY=1"), 0);
}

static void test_nobody_listens(void **state)
{
	(void)state;
	/* A socket that is gone: an error the daemon logs, not a crash. */
	setenv("NOTIFY_SOCKET", "/nonexistent/test_notify.sock", 1);
	assert_int_equal(dnotify("READY=1"), -1);
	assert_int_not_equal(errno, 0);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_no_manager),
		cmocka_unit_test(test_nobody_listens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
