/* SPDX-License-Identifier: GPL-2.0 */
/* Covered by the base header. */
#include "../kernel_base.h"
