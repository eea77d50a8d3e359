// SPDX-License-Identifier: MIT
/*
 * Stream grants: a file attaches only streams of the module parameter
 * (sids=0-63 in this initramfs) or granted by XIOMMU_GRANT_STREAMS, which
 * needs CAP_SYS_ADMIN: an unprivileged process is refused (-EPERM) and its
 * file gains nothing; root grants a file a stream, and that file only.
 * Pinned memory is charged to the pinning process's RLIMIT_MEMLOCK.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include "kt.h"

static int grant(int fd, uint32_t first, uint32_t count)
{
	struct xiommu_ioc_grant_streams g = { .size = sizeof(g), .first = first, .count = count };

	return kt_ioc(fd, XIOMMU_GRANT_STREAMS, &g);
}

int main(void)
{
	int fd = kt_open(), other = kt_open();
	uint32_t unit, dom, unit2, dom2;
	pid_t pid;
	int status;

	KT_EQ(kt_unit(fd, &unit), 0);
	KT_EQ(kt_domain(fd, unit, &dom, NULL), 0);
	KT_EQ(kt_unit(other, &unit2), 0);
	KT_EQ(kt_domain(other, unit2, &dom2, NULL), 0);
	KT_EQ(kt_attach(fd, dom, 63), 0);
	KT_EQ(kt_attach(fd, dom, 64), -EPERM);

	/* an unprivileged child: refused, and its refusal grants nothing */
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534)) {
			printf("FAIL setuid\n");
			_exit(1);
		}
		KT_EQ(grant(fd, 64, 1), -EPERM);
		KT_EQ(kt_attach(fd, dom, 64), -EPERM);
		/* pinning counts against RLIMIT_MEMLOCK (64 KiB here) */
		{
			struct rlimit rl = { 64 << 10, 64 << 10 };
			void *buf = kt_pages(1 << 20);
			uint32_t id;
			uint64_t hpa;

			KT_EQ(setrlimit(RLIMIT_MEMLOCK, &rl), 0);
			KT_EQ(kt_mem(fd, buf, 1 << 20, &id, &hpa), -ENOMEM);
			KT_EQ(kt_param("pinned_pages"), 0);
			KT_EQ(kt_mem(fd, buf, 64 << 10, &id, &hpa), 0);
			KT_EQ(kt_mem(fd, (char *)buf + (64 << 10), 4096, &id, &hpa), -ENOMEM);
		}
		_exit(kt_failures ? 1 : 0);
	}
	KT_EQ(waitpid(pid, &status, 0), pid);
	KT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* root: malformed grants, then a real one for this file only */
	KT_EQ(grant(fd, 64, 0), -EINVAL);
	KT_EQ(grant(fd, 0xffffffffu, 2), -EINVAL);
	{
		struct xiommu_ioc_grant_streams g = { .size = sizeof(g), .flags = 1, .first = 64, .count = 1 };

		KT_EQ(kt_ioc(fd, XIOMMU_GRANT_STREAMS, &g), -EINVAL);
	}
	KT_EQ(grant(fd, 64, 4), 0);
	KT_EQ(kt_attach(fd, dom, 64), 0);
	KT_EQ(kt_attach(fd, dom, 67), 0);
	KT_EQ(kt_attach(fd, dom, 68), -EPERM);
	KT_EQ(kt_attach(other, dom2, 65), -EPERM);	/* granted to fd, not to other */
	for (uint32_t i = 0; i < XIOMMU_GRANTS_MAX - 1; i++)
		KT_EQ(grant(fd, 100 + i, 1), 0);
	KT_EQ(grant(fd, 200, 1), -ENOSPC);
	close(fd);
	close(other);
	KT_EQ(kt_param("live_allocs"), 0);
	return kt_finish("kt_priv");
}
