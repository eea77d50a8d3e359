/* SPDX-License-Identifier: MIT */
/* xiommu run: the replay state shared by the driver (run.c) and the commands (run_cmds.c). */
#ifndef XIOMMU_RUN_H
#define XIOMMU_RUN_H

#include <stdint.h>
#include <xiommu/xiommu.h>

#define MAXN	64
#define MAXTOK	16

struct ram {
	uint8_t *buf;
	uint64_t gpa, size;
	uint32_t region;
};

struct vm {
	char name[32];
	uint32_t id;
	struct ram ram;
	struct xiommu_guest g;
};

struct dev {
	char name[32];
	uint32_t id, psid, vm;
	uint64_t vsid;
	struct xiommu_guest_ctx gc;
};

struct space {
	char name[32];
	uint32_t vm;
	struct xiommu_guest_s1 s1;
};

struct run {
	const char *file;
	int line, verbose;
	struct xiommu_ctx *ctx;
	uint32_t unit;
	struct vm vm[MAXN];
	struct dev dev[MAXN];
	struct space sp[MAXN];
	uint32_t nvm, ndev, nsp;
	/* the last command's outcome, for expect */
	int ret;
	char err[512];
	int have_dma;
	struct xiommu_dma dma;
	uint64_t value;
	struct xiommu_fault faults[16];
	uint32_t nfaults;
	uint32_t nmsi;
	uint64_t msi[16];
};

int tfail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A number (decimal, 0x hex, k/m/g suffix): 0, or -1 with the line named. */
int num(struct run *r, const char *s, uint64_t *v);
/* key=NUMBER among the words: 1 found, 0 absent, -1 malformed. */
int kv(struct run *r, char **tok, int n, const char *key, uint64_t *v);
/* key=WORD among the words, or NULL. */
const char *kvs(char **tok, int n, const char *key);
/* Whether the bare word @w is among them. */
int word(char **tok, int n, const char *w);
struct vm *vm_get(struct run *r, const char *name);
struct dev *dev_get(struct run *r, const char *name);
struct space *sp_get(struct run *r, const char *name);
/* Record and print a library call's outcome for the next expect. */
void outcome(struct run *r, int ret);
int name_ok(struct run *r, const char *s);
/* Names of DMA statuses and fault reasons (NULL-terminated), and their index. */
extern const char *const run_status_names[];
extern const char *const run_reason_names[];
int run_lookup(const char *const *names, const char *s);
/* An expect line. */
int run_expect(struct run *r, char **tok, int n);
/* One trace line split in words: 0, or -1 after naming the file and line. */
int run_cmd(struct run *r, char **tok, int n);

#endif
