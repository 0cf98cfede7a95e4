/* Does a nonblocking MPI_Iallreduce progress while the caller computes? The question
 * behind the shim's design (native/src/distributed/mpi_shim.cpp): a bucket is posted
 * during backward and must be done by the optimizer step. For each float32 size, rank 0
 * prints one JSON line with the median seconds of:
 *   blocking:  MPI_Allreduce alone;
 *   noTest:    MPI_Wait after computing (no MPI calls) for 2x the blocking time: ~0 when
 *              the library progresses on its own, ~blocking when only MPI calls drive it;
 *   polled:    the same, while a second thread polls MPI_Test every 50 us (what the
 *              shim's MPI thread does; MPI_THREAD_SERIALIZED suffices: one caller at a time).
 *   mpicc -O2 iallreduce_progress.c -o progress -lpthread && mpirun -np 2 ./progress */
#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static volatile double sink;

/* Work that makes no MPI call, for `seconds`. */
static void compute(double seconds) {
  double t0 = MPI_Wtime(), acc = 0;
  while (MPI_Wtime() - t0 < seconds)
    for (int i = 0; i < 1000; i++) acc += i * 1e-9;
  sink = acc;
}

struct poll_arg {
  MPI_Request* req;
  volatile int done;
};

static void* poller(void* p) {
  struct poll_arg* a = p;
  struct timespec pause = {0, 50000};
  int flag = 0;
  while (!flag) {
    MPI_Test(a->req, &flag, MPI_STATUS_IGNORE);
    if (!flag) nanosleep(&pause, NULL);
  }
  a->done = 1;
  return NULL;
}

int main(int argc, char** argv) {
  int provided = 0, rank = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  enum { REPS = 9 };
  for (long bytes = 1L << 16; bytes <= 16L << 20; bytes *= 4) {
    int n = (int)(bytes / 4);
    float* data = malloc(bytes);
    for (int i = 0; i < n; i++) data[i] = (float)(i % 7);
    double blocking[REPS], no_test[REPS], polled[REPS];
    MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
    for (int r = 0; r < REPS; r++) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      blocking[r] = MPI_Wtime() - t;
    }
    qsort(blocking, REPS, sizeof(double), cmp);
    const double work = 2 * blocking[REPS / 2];
    for (int r = 0; r < REPS; r++) {
      MPI_Request req;
      MPI_Barrier(MPI_COMM_WORLD);
      MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &req);
      compute(work);
      double t = MPI_Wtime();
      MPI_Wait(&req, MPI_STATUS_IGNORE);
      no_test[r] = MPI_Wtime() - t;
    }
    for (int r = 0; r < REPS; r++) {
      MPI_Request req;
      MPI_Barrier(MPI_COMM_WORLD);
      MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &req);
      struct poll_arg a = {&req, 0};
      pthread_t th;
      pthread_create(&th, NULL, poller, &a);
      compute(work);
      double t = MPI_Wtime();
      pthread_join(th, NULL);
      polled[r] = MPI_Wtime() - t;
    }
    qsort(no_test, REPS, sizeof(double), cmp);
    qsort(polled, REPS, sizeof(double), cmp);
    if (rank == 0)
      printf("{\"bytes\":%ld,\"threadLevel\":%d,\"blocking\":%.6g,\"noTest\":%.6g,\"polled\":%.6g}\n", bytes, provided,
             blocking[REPS / 2], no_test[REPS / 2], polled[REPS / 2]);
    free(data);
  }
  MPI_Finalize();
  return 0;
}
