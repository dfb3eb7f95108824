#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make check` wrapper for run.py: finds transctl in the build tree and the
# cases beside the source tree (works in VPATH builds: automake exports
# srcdir, and tests run from the top build directory). -v puts hex dumps
# of the failing cases into the test log, which CI prints.
srcdir=${srcdir:-$(dirname "$0")/../..}
cases=${CONFORMANCE_DIR:-$srcdir/../shared/conformance/jool-graybox}
exec "${PYTHON3:-python3}" "$srcdir/test/conformance/run.py" \
	--transctl "${TRANSCTL:-./usr/transctl}" --cases-dir "$cases" -v "$@"
