/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef USR_TRANSCTL_H
#define USR_TRANSCTL_H
#endif
