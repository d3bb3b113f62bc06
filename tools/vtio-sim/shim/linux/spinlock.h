/* SPDX-License-Identifier: GPL-2.0 */
/* The harness uses each queue from one thread: locks are no-ops. */
#ifndef _VTIO_SIM_SPINLOCK_H
#define _VTIO_SIM_SPINLOCK_H

#include "../kernel_base.h"

typedef struct {
	int unused;
} spinlock_t;

#define DEFINE_SPINLOCK(x)		spinlock_t x = { 0 }
#define spin_lock_init(l)		do { (void)(l); } while (0)
#define spin_lock(l)			do { (void)(l); } while (0)
#define spin_unlock(l)			do { (void)(l); } while (0)
#define spin_lock_irq(l)		do { (void)(l); } while (0)
#define spin_unlock_irq(l)		do { (void)(l); } while (0)
#define spin_lock_bh(l)			do { (void)(l); } while (0)
#define spin_unlock_bh(l)		do { (void)(l); } while (0)
#define spin_lock_irqsave(l, f)		do { (void)(l); (f) = 0; } while (0)
#define spin_unlock_irqrestore(l, f)	do { (void)(l); (void)(f); } while (0)

#endif
