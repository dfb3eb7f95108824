/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's messages to its service manager (systemd's sd_notify
 * protocol, Type=notify units): one datagram of "KEY=VALUE" lines to the
 * Unix socket named by $NOTIFY_SOCKET ("/path", or "@name" for the
 * abstract namespace). With libsystemd (configure --with-systemd) it
 * goes through sd_notify(); without, through the few lines below, which
 * speak the same documented protocol. No $NOTIFY_SOCKET: nothing is sent.
 */
#ifndef TRANSLATOR_DAEMON_NOTIFY_H
#define TRANSLATOR_DAEMON_NOTIFY_H

/* Sends the formatted state ("READY=1\nSTATUS=..."). Returns 1 when sent,
 * 0 when no service manager listens ($NOTIFY_SOCKET unset), -1 on an
 * error (errno set; the caller logs, the daemon goes on). */
int dnotify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The reload's opening message: RELOADING=1 with the MONOTONIC_USEC
 * that systemd >= 253 expects beside it. */
int dnotify_reloading(void);

/* The protocol without libsystemd (what dnotify uses when built without
 * it; test_notify checks it in every build). */
int dnotify_send_builtin(const char *msg);

#endif
