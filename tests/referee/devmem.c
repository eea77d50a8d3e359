// SPDX-License-Identifier: MIT
/* /dev/mem for the referee programs: see devmem.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "devmem.h"

#define EDU_ID		0x010000ed	/* BAR0 + 0: identification */

struct xr_devmem xr_devmem = { .fd = -1 };

uint64_t xr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	return 0;
}

static void *map(int fd, uint64_t pa, uint64_t size, const char *what, char *err,
		 uint32_t errlen)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)pa);

	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap of %s at 0x%llx: %s", what, (unsigned long long)pa,
			 strerror(errno));
		return NULL;
	}
	return p;
}

/* edu: BAR0 from sysfs, memory decoding and bus mastering on in its command register. */
static int edu_open(struct xr_devmem *m, const char *sysfs, char *err, uint32_t errlen)
{
	unsigned long long bar = 0;
	char path[256], buf[256];
	uint16_t cmd;
	int fd;

	snprintf(path, sizeof(path), "%sresource", sysfs);
	if (sysfs_read(path, buf, sizeof(buf)) || sscanf(buf, "%llx", &bar) != 1 || !bar) {
		snprintf(err, errlen, "edu: no BAR0 in %s", path);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%sconfig", sysfs);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, 4) != 2) {
		snprintf(err, errlen, "edu: %s unreadable", path);
		if (fd >= 0)
			close(fd);
		return -ENODEV;
	}
	cmd |= 0x6;	/* PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER */
	if (pwrite(fd, &cmd, 2, 4) != 2) {
		snprintf(err, errlen, "edu: cannot write its command register (%s)", path);
		close(fd);
		return -EIO;
	}
	close(fd);
	m->edu = map(m->fd, bar, 4096, "edu BAR0", err, errlen);
	if (!m->edu)
		return -EIO;
	if (*(volatile uint32_t *)m->edu != EDU_ID) {
		snprintf(err, errlen, "edu: identification register reads 0x%x",
			 *(volatile uint32_t *)m->edu);
		return -ENODEV;
	}
	return 0;
}

int xr_devmem_open(const char *unit, uint64_t unit_base, uint64_t unit_size,
		   uint64_t ram_base, uint64_t ram_size, const char *edu_sysfs, char *err,
		   uint32_t errlen)
{
	struct xr_devmem *m = &xr_devmem;

	m->fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (m->fd < 0) {
		snprintf(err, errlen, "/dev/mem: %s", strerror(errno));
		return -errno;
	}
	m->regs = map(m->fd, unit_base, unit_size, unit, err, errlen);
	if (!m->regs)
		return -EIO;
	m->ram = map(m->fd, ram_base, ram_size, "RAM", err, errlen);
	if (!m->ram)
		return -EIO;
	return edu_open(m, edu_sysfs, err, errlen);
}

uint32_t xr_reg_rd32(uint32_t off)
{
	return *(volatile uint32_t *)(xr_devmem.regs + off);
}

uint64_t xr_reg_rd64(uint32_t off)
{
	return *(volatile uint64_t *)(xr_devmem.regs + off);
}

void xr_reg_wr32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(xr_devmem.regs + off) = v;
	__sync_synchronize();
}

void xr_reg_wr64(uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(xr_devmem.regs + off) = v;
	__sync_synchronize();
}

int xr_reg_wait32(uint32_t off, uint32_t mask, uint32_t want)
{
	uint64_t t0 = xr_now_ns();

	while ((xr_reg_rd32(off) & mask) != want)
		if (xr_now_ns() - t0 > 100000000ull)
			return -ETIMEDOUT;
	return 0;
}
