/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTIO_SIM_INTERRUPT_H
#define _VTIO_SIM_INTERRUPT_H

#include "../kernel_base.h"

enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
};
typedef enum irqreturn irqreturn_t;

struct cpumask {
	unsigned long bits[1];
};

struct irq_affinity;

#endif
