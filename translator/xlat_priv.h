/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TRANSLATOR_XLAT_PRIV_H
#define TRANSLATOR_XLAT_PRIV_H
#include "xlat.h"
#endif
