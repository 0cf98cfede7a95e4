/* Which MPI all-reduce call is fastest per size: the measurement behind the shim's choice
 * of a blocking MPI_Allreduce from 64 KB to 32 MB and a polled MPI_Iallreduce otherwise
 * (native/src/distributed/blocking_collective.h). For each float32 size, rank 0 prints the
 * median microseconds of: blocking in place, blocking out of place (what the shim does:
 * the result is a fresh tensor), nonblocking in place and out of place tested back to
 * back, and a memcpy into the output followed by a blocking in-place call.
 *   mpicc -O2 allreduce_variants.c -o variants && chrt -f 10 mpirun -np 2 ./variants */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VARIANTS = 5, MAX_REPS = 50 };

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static void run(int v, float* a, float* b, int n, long bytes) {
  if (v == 0) {
    MPI_Allreduce(MPI_IN_PLACE, a, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  } else if (v == 1) {
    MPI_Allreduce(a, b, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  } else if (v == 4) {
    memcpy(b, a, bytes);
    MPI_Allreduce(MPI_IN_PLACE, b, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  } else {
    MPI_Request q;
    int done = 0;
    if (v == 2) MPI_Iallreduce(MPI_IN_PLACE, a, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &q);
    else MPI_Iallreduce(a, b, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &q);
    while (!done) MPI_Test(&q, &done, MPI_STATUS_IGNORE);
  }
}

int main(int argc, char** argv) {
  int provided, rank;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    printf(
        "bytes  blocking_in_place  blocking_out_of_place  iallreduce_in_place  iallreduce_out_of_place  "
        "memcpy+blocking_in_place (us)\n");
  for (long bytes = 1024; bytes <= 64L << 20; bytes *= 4) {
    int n = (int)(bytes / 4);
    float* a = malloc(bytes);
    float* b = malloc(bytes);
    for (int i = 0; i < n; i++) a[i] = b[i] = (float)(i % 7);
    int reps = bytes <= (1 << 20) ? MAX_REPS : 7;
    double t[VARIANTS][MAX_REPS];
    for (int v = 0; v < VARIANTS; v++) {
      for (int r = -1; r < reps; r++) { /* r = -1: warm-up */
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        run(v, a, b, n, bytes);
        if (r >= 0) t[v][r] = MPI_Wtime() - t0;
      }
      qsort(t[v], reps, sizeof(double), cmp);
    }
    if (rank == 0) {
      printf("%9ld", bytes);
      for (int v = 0; v < VARIANTS; v++) printf(" %10.1f", t[v][reps / 2] * 1e6);
      printf("\n");
    }
    free(a);
    free(b);
  }
  MPI_Finalize();
  return 0;
}
