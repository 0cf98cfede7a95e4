/* Plain MPI_Allreduce bandwidth, the reference for bench/distributed.ts: the same float32
 * sizes (1 KB to 64 MB), sum, in place (MPI_IN_PLACE) and out of place (MPI copies the
 * input into the output first), each size's two loops back to back; prints one JSON line
 * per size from rank 0: {"bytes":N,"seconds":in place,"outOfPlace":out of place,
 * "warmups":..,"faults":..}, medians per call.
 * Warm-up until steady: Open MPI's in-place all-reduce of 16 MB mallocs an 8 MB scratch
 * buffer per call, and its first calls touch fresh pages (2,049 minor faults, then 1,025,
 * then none: glibc raises its mmap threshold, then grows the heap once); calls repeat
 * until one faults on no rank (at most MAX_WARMUPS), and the faults of the timed calls
 * (the most on any rank) are printed beside them.  mpicc -O2 allreduce.c -o allreduce */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { MAX_WARMUPS = 10 };

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static long minor_faults(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

/* The most minor faults on any rank since `since` (this rank's count then). */
static long faults_anywhere(long since) {
  long mine = minor_faults() - since, most = 0;
  MPI_Allreduce(&mine, &most, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
  return most;
}

typedef struct {
  double seconds; /* median per call */
  int warmups;    /* calls until one faulted on no rank */
  long faults;    /* during the timed calls, the most on any rank */
} Timing;

/* The median seconds of `reps` calls (after warming up), the ranks leaving a barrier together. */
static Timing timed(const float* in, float* out, long n, int reps) {
  double times[50];
  Timing t = {0, 0, 0};
  do {
    long f0 = minor_faults();
    MPI_Allreduce(in, out, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    t.warmups++;
    if (faults_anywhere(f0) == 0) break;
  } while (t.warmups < MAX_WARMUPS);
  long f0 = minor_faults();
  for (int r = 0; r < reps; r++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    MPI_Allreduce(in, out, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    times[r] = MPI_Wtime() - t0;
  }
  t.faults = faults_anywhere(f0);
  qsort(times, reps, sizeof(double), cmp);
  t.seconds = times[reps / 2];
  return t;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (long bytes = 1024; bytes <= 64L << 20; bytes *= 4) {
    long n = bytes / 4;
    float* data = malloc(bytes);
    float* out = malloc(bytes);
    for (long i = 0; i < n; i++) data[i] = (float)(i % 7);
    memset(out, 0, bytes);
    int reps = bytes <= (1 << 20) ? 50 : 5;
    Timing in_place = timed(MPI_IN_PLACE, data, n, reps);
    Timing out_of_place = timed(data, out, n, reps);
    if (rank == 0)
      printf("{\"bytes\":%ld,\"seconds\":%.9f,\"outOfPlace\":%.9f,\"warmups\":%d,\"faults\":%ld}\n", bytes, in_place.seconds,
             out_of_place.seconds, in_place.warmups, in_place.faults);
    free(data);
    free(out);
  }
  MPI_Finalize();
  return 0;
}
