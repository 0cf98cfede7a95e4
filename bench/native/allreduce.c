/* Plain MPI_Allreduce bandwidth, the reference for bench/distributed.ts: the same float32
 * sizes (1 KB to 64 MB), sum, in place (MPI_IN_PLACE) and out of place (MPI copies the
 * input into the output first), each size's two loops back to back; prints one JSON line
 * per size from rank 0: {"bytes":N,"seconds":in place,"outOfPlace":out of place}, medians
 * per call.  mpicc -O2 allreduce.c -o allreduce */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

/* The median seconds of `reps` calls (after a warm-up), the ranks leaving a barrier together. */
static double timed(const float* in, float* out, long n, int reps) {
  double times[50];
  MPI_Allreduce(in, out, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
  for (int r = 0; r < reps; r++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t = MPI_Wtime();
    MPI_Allreduce(in, out, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    times[r] = MPI_Wtime() - t;
  }
  qsort(times, reps, sizeof(double), cmp);
  return times[reps / 2];
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
    double in_place = timed(MPI_IN_PLACE, data, n, reps);
    double out_of_place = timed(data, out, n, reps);
    if (rank == 0) printf("{\"bytes\":%ld,\"seconds\":%.9f,\"outOfPlace\":%.9f}\n", bytes, in_place, out_of_place);
    free(data);
    free(out);
  }
  MPI_Finalize();
  return 0;
}
