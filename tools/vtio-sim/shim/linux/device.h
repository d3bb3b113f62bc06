/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough of the driver model for struct vtio_device and dev_err(). */
#ifndef _VTIO_SIM_DEVICE_H
#define _VTIO_SIM_DEVICE_H

#include "../kernel_base.h"

struct device_driver {
	const char *name;
	struct module *owner;
};

struct device {
	const char *init_name;
	struct device *parent;
	struct device_driver *driver;
	void *driver_data;
	void (*release)(struct device *dev);
};

static inline const char *dev_name(const struct device *dev)
{
	return dev && dev->init_name ? dev->init_name : "vtio-sim";
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#define dev_err(dev, fmt, ...)	vtio_sim_log("err", dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	vtio_sim_log("warn", dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	vtio_sim_log("info", dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) vtio_sim_log("notice", dev_name(dev), fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	do { if (0) vtio_sim_log("debug", dev_name(dev), fmt, ##__VA_ARGS__); } while (0)
#define dev_err_ratelimited	dev_err
#define dev_warn_ratelimited	dev_warn
#define dev_err_once		dev_err
#define dev_warn_once		dev_warn

static inline void get_device(struct device *dev) { (void)dev; }
static inline void put_device(struct device *dev) { (void)dev; }

#endif
