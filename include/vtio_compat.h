/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs this project builds against (6.1 and
 * 6.12).  Kbuild detects each one from the headers (VTIO_HAVE_*), so the
 * code never tests version numbers.
 */
#ifndef _VTIO_COMPAT_H
#define _VTIO_COMPAT_H

/* 6.11 made bus_type.match take a const driver. */
#ifdef VTIO_HAVE_CONST_MATCH
#define vtio_match_driver_t	const struct device_driver
#else
#define vtio_match_driver_t	struct device_driver
#endif

/* 6.3 made bus_type.uevent take a const device. */
#ifdef VTIO_HAVE_CONST_UEVENT
#define vtio_uevent_device_t	const struct device
#else
#define vtio_uevent_device_t	struct device
#endif

/*
 * struct bus_type, const where the driver core takes it so (6.4 on): the
 * type device_driver.bus points to carries exactly that qualifier.
 */
#define vtio_bus_type_t	typeof(*((struct device_driver *)NULL)->bus)

/*
 * ethtool RXFH callbacks (used in net/ethtool.c):
 * VTIO_HAVE_RXFH_PARAM   6.8 passes struct ethtool_rxfh_param to
 *			  get_rxfh / set_rxfh instead of indir, key, hfunc.
 * VTIO_HAVE_RXFH_FIELDS  get_rxfh_fields / set_rxfh_fields carry the hash
 *			  fields (ethtool -n/-N rx-flow-hash) instead of
 *			  get_rxnfc / set_rxnfc ETHTOOL_GRXFH / SRXFH
 *			  (upstream 6.17, backported to Debian's 6.12).
 */

#endif /* _VTIO_COMPAT_H */
