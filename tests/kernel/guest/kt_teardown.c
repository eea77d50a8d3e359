// SPDX-License-Identifier: MIT
/*
 * Nothing is left behind: a file closed while another thread is inside an
 * ioctl on it, and a VMM killed (SIGKILL) while it works the device, leave
 * the module's allocation and pinned-page counters at zero and their
 * streams free for the next file.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include "kt.h"

#define GPA 0x200000ull
#define LEN (4u << 20)

struct busy {
	int fd;
	uint32_t unit;
	volatile int calls;
};

/* Build a VM with pinned memory and an attached stream on a fresh file. */
static int vm(uint32_t sid, uint32_t *unit)
{
	int fd = kt_open();
	uint32_t dom, mem;
	uint64_t hpa;
	struct xiommu_domain_desc d;
	void *ram = kt_pages(LEN);

	KT_EQ(kt_unit(fd, unit), 0);
	KT_EQ(kt_domain(fd, *unit, &dom, &d), 0);
	KT_EQ(kt_mem(fd, ram, LEN, &mem, &hpa), 0);
	KT_EQ(kt_map(fd, dom, GPA, hpa, LEN), 0);
	KT_EQ(kt_attach(fd, dom, sid), 0);
	KT_EQ(kt_ste_s2(fd, dom, &d, sid, NULL), 0);
	return fd;
}

static void *hammer(void *arg)
{
	struct busy *b = arg;
	char buf[4096];

	/* DMA until the fd goes away under us */
	while (kt_dma(b->fd, b->unit, XIOMMU_DMA_READ, 20, GPA, buf, sizeof(buf), NULL, NULL) == 0)
		b->calls++;
	return NULL;
}

int main(void)
{
	struct busy b;
	pthread_t t;
	pid_t pid;
	int status, i;
	uint32_t unit;

	/* close while a thread is busy in DMA ioctls on the same file */
	b.fd = vm(20, &b.unit);
	b.calls = 0;
	pthread_create(&t, NULL, hammer, &b);
	for (i = 0; b.calls < 50 && i < 20000; i++)
		usleep(1000);
	KT_CHECK(b.calls >= 50);
	close(b.fd);
	pthread_join(t, NULL);
	KT_EQ(kt_param("live_allocs"), 0);
	KT_EQ(kt_param("pinned_pages"), 0);

	/* a VMM killed mid-work: pinning and DMA in a loop when SIGKILL lands */
	for (i = 0; i < 3; i++) {
		int pipefd[2];
		char c;

		KT_EQ(pipe(pipefd), 0);
		pid = fork();
		if (pid == 0) {
			int fd = vm(21, &unit);
			char buf[4096];

			KT_EQ(write(pipefd[1], "x", 1), 1);
			for (int n = 0;; n++) {
				uint32_t id;
				uint64_t hpa;

				/* at most 64 MiB more pinned: the guest has 512 MiB */
				if (n < 64)
					kt_mem(fd, kt_pages(1 << 20), 1 << 20, &id, &hpa);
				kt_dma(fd, unit, XIOMMU_DMA_READ, 21, GPA, buf, sizeof(buf), NULL, NULL);
			}
		}
		KT_EQ(read(pipefd[0], &c, 1), 1);
		usleep(20000 * (i + 1));
		kill(pid, SIGKILL);
		KT_EQ(waitpid(pid, &status, 0), pid);
		KT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		close(pipefd[0]);
		close(pipefd[1]);
		KT_EQ(kt_param("live_allocs"), 0);
		KT_EQ(kt_param("pinned_pages"), 0);
	}
	/* the dead VMM's stream is free again */
	{
		int fd = vm(21, &unit);

		close(fd);
	}
	KT_EQ(kt_param("live_allocs"), 0);
	return kt_finish("kt_teardown");
}
