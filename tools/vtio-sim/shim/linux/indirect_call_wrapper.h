/* SPDX-License-Identifier: GPL-2.0 */
/* Same contract as the kernel's: compare, then call the named function. */
#ifndef _VTIO_SIM_INDIRECT_CALL_WRAPPER_H
#define _VTIO_SIM_INDIRECT_CALL_WRAPPER_H

#include "../kernel_base.h"

#define INDIRECT_CALL_1(f, f1, ...) \
	(likely((f) == (f1)) ? f1(__VA_ARGS__) : (f)(__VA_ARGS__))
#define INDIRECT_CALL_2(f, f2, f1, ...) \
	(likely((f) == (f2)) ? f2(__VA_ARGS__) : INDIRECT_CALL_1(f, f1, __VA_ARGS__))
#define INDIRECT_CALL_3(f, f3, f2, f1, ...) \
	(likely((f) == (f3)) ? f3(__VA_ARGS__) : INDIRECT_CALL_2(f, f2, f1, __VA_ARGS__))
#define INDIRECT_CALL_4(f, f4, f3, f2, f1, ...) \
	(likely((f) == (f4)) ? f4(__VA_ARGS__) : INDIRECT_CALL_3(f, f3, f2, f1, __VA_ARGS__))
#define INDIRECT_CALLABLE_DECLARE(f)	f
#define INDIRECT_CALLABLE_SCOPE		static

#endif
