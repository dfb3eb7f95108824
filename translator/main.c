// SPDX-License-Identifier: GPL-2.0-or-later
/* translatord: skeleton until the daemon issue lands. */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "translatord: the forwarding plane is not written yet\n");
	return 1;
}
