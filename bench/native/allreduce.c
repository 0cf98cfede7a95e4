/* Plain MPI_Allreduce bandwidth, the reference for bench/distributed.ts: the same float32
 * sizes (1 KB to 64 MB), in place, sum; prints one JSON line per size from rank 0:
 * {"bytes":N,"seconds":median per call}.  mpicc -O2 allreduce.c -o allreduce */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (long bytes = 1024; bytes <= 64L << 20; bytes *= 4) {
    long n = bytes / 4;
    float* data = malloc(bytes);
    for (long i = 0; i < n; i++) data[i] = (float)(i % 7);
    int reps = bytes <= (1 << 20) ? 50 : 5;
    double times[50];
    MPI_Allreduce(MPI_IN_PLACE, data, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
    for (int r = 0; r < reps; r++) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, data, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      times[r] = MPI_Wtime() - t;
    }
    qsort(times, reps, sizeof(double), cmp);
    if (rank == 0) printf("{\"bytes\":%ld,\"seconds\":%.9f}\n", bytes, times[reps / 2]);
    free(data);
  }
  MPI_Finalize();
  return 0;
}
