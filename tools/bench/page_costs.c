// What the row file's page calls cost on this machine (docs/BENCHMARKS.md, "Fifth session"):
//  1. madvise(MADV_WILLNEED) on a page already in the page cache (a 256 MB file mapped and touched), the cost
//     RowFile.WillNeed pays per row when it asks for nothing new;
//  2. a random 4 KB read of FILE with O_DIRECT (bypassing the page cache), the cost of a re-ranked row that is not
//     in the page cache.
// usage: gcc -O2 -o /tmp/page_costs tools/bench/page_costs.c && /tmp/page_costs FILE   (FILE: e.g. a store's rows/*.f32)
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }

  const size_t bytes = 256UL << 20;
  char scratch[] = "/tmp/page_costs.XXXXXX";
  int fd = mkstemp(scratch);
  unlink(scratch);
  if (fd < 0 || posix_fallocate(fd, 0, bytes) != 0) {
    perror("scratch file");
    return 1;
  }
  char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
  unsigned s = 1;
  const int calls = 200000;
  double start = now_us();
  for (int i = 0; i < calls; i++) {
    s = s * 1103515245 + 12345;
    size_t page = (s >> 4) % (bytes / 4096);
    madvise(p + page * 4096, 4096, MADV_WILLNEED);
  }
  printf("madvise(WILLNEED) on a resident page: %.2f us\n", (now_us() - start) / calls);

  int in = open(argv[1], O_RDONLY | O_DIRECT);
  struct stat st;
  void *buf;
  if (in < 0 || fstat(in, &st) != 0 || st.st_size < 4096 || posix_memalign(&buf, 4096, 4096) != 0) {
    perror(argv[1]);
    return 1;
  }
  const int reads = 2000;
  start = now_us();
  for (int i = 0; i < reads; i++) {
    s = s * 1103515245 + 12345;
    off_t off = (off_t)((s >> 2) % (st.st_size / 4096)) * 4096;
    if (pread(in, buf, 4096, off) != 4096) {
      perror("pread");
      return 1;
    }
  }
  printf("random 4 KB read of %s, page cache bypassed: %.1f us\n", argv[1], (now_us() - start) / reads);
  return 0;
}
