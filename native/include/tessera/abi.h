// The C ABI shared by the addon and the separately built CUDA library.
// Only plain C types cross this boundary, so the two binaries may come from different
// compilers; the ops.def hash (tk_ops_def_hash) guards against mismatched kernel tables.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TK_MAX_RANK 8

enum TkDType { TK_FLOAT32 = 0, TK_INT32 = 1, TK_FLOAT64 = 2, TK_BOOL = 3 };

/* A contiguous, row-major view of one tensor's data on one device. */
typedef struct TkTensor {
  void* data;
  int32_t dtype;
  int32_t rank;
  int64_t shape[TK_MAX_RANK];
  int64_t size;
} TkTensor;

typedef struct TkKernelArgs {
  const TkTensor* inputs;
  int32_t num_inputs;
  TkTensor* outputs;
  int32_t num_outputs;
  const double* attrs;
  int32_t num_attrs;
} TkKernelArgs;

/* The CUDA library's entry points, filled in by tk_cuda_open. Every function returns 0 on
   success, or non-zero with a message written into err (err_len bytes, NUL-terminated). */
typedef struct TkCudaApi {
  uint64_t ops_def_hash;
  int32_t device_count;
  int (*device_name)(int device, char* name, size_t name_len, char* err, size_t err_len);
  int (*malloc)(int device, size_t bytes, void** ptr, char* err, size_t err_len);
  int (*free)(int device, void* ptr, char* err, size_t err_len);
  int (*copy_to_device)(int device, void* dst, const void* src, size_t bytes, char* err, size_t err_len);
  int (*copy_to_host)(int device, void* dst, const void* src, size_t bytes, char* err, size_t err_len);
  int (*synchronize)(int device, char* err, size_t err_len);
  /* Runs op `op_id` (an ops.def row index); returns -1 when the kernel has no CUDA form. */
  int (*run)(int device, int op_id, const TkKernelArgs* args, char* err, size_t err_len);
  int (*has_kernel)(int op_id);
} TkCudaApi;

/* Exported by libtessera_cuda: fills api; returns 0, or non-zero with a reason in err
   (no driver, no device, ...). */
typedef int (*TkCudaOpenFn)(TkCudaApi* api, char* err, size_t err_len);

#ifdef __cplusplus
}
#endif
