/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTIO_SIM_WORKQUEUE_H
#define _VTIO_SIM_WORKQUEUE_H

#include "../kernel_base.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

#define INIT_WORK(w, f)		do { (w)->func = (f); } while (0)
#define schedule_work(w)	((w)->func(w), true)
#define flush_work(w)		do { (void)(w); } while (0)
#define cancel_work_sync(w)	((void)(w), false)

#endif
