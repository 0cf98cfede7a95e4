// tk_cuda_open, the library's one exported symbol: it probes the driver, then hands the
// addon a table of C functions. Each turns exceptions into the ABI's error text, so no
// C++ exception crosses the library boundary and nothing aborts.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>

#include "allocator.h"
#include "copy.h"
#include "device.h"
#include "kernels.h"
#include "tessera/abi.h"
#include "tessera/ops.h"

namespace tessera::cuda {

namespace {

// Into the caller's buffer of `len` bytes, cut short if need be, always NUL-terminated.
void write_text(char* buffer, size_t len, const char* text) {
  if (buffer && len) std::snprintf(buffer, len, "%s", text);
}

// 0 when fn returns normally; 1 with the exception's text in err otherwise.
template <typename Fn>
int guarded(char* err, size_t err_len, Fn fn) {
  try {
    fn();
    return 0;
  } catch (const std::exception& e) {
    write_text(err, err_len, e.what());
  } catch (...) {
    write_text(err, err_len, "unknown error in the CUDA library");
  }
  return 1;
}

int api_device_name(int device, char* name, size_t name_len, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { write_text(name, name_len, device_name(device).c_str()); });
}

int api_malloc(int device, size_t bytes, void** ptr, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { *ptr = allocate(device, bytes); });
}

int api_free(int device, void* ptr, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { release(device, ptr); });
}

int api_copy_to_device(int device, void* dst, const void* src, size_t bytes, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { copy_to_device(device, dst, src, bytes); });
}

int api_copy_to_host(int device, void* dst, const void* src, size_t bytes, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { copy_to_host(device, dst, src, bytes); });
}

int api_synchronize(int device, char* err, size_t err_len) {
  return guarded(err, err_len, [&] { synchronize(device); });
}

int api_run(int device, int op_id, const TkKernelArgs* args, char* err, size_t err_len) {
  bool ran = false;
  const int rc = guarded(err, err_len, [&] { ran = run_kernel(device, op_id, *args); });
  return rc == 0 && !ran ? -1 : rc;
}

int api_has_kernel(int op_id) { return has_kernel(op_id) ? 1 : 0; }

}  // namespace

}  // namespace tessera::cuda

extern "C" __attribute__((visibility("default"))) int tk_cuda_open(TkCudaApi* api, char* err, size_t err_len) {
  using namespace tessera::cuda;
  return guarded(err, err_len, [&] {
    std::string reason;
    const int count = discover_devices(&reason);
    if (count == 0) throw tessera::Error(reason);
    std::memset(api, 0, sizeof *api);
    api->ops_def_hash = tessera::kOpsDefHash;
    api->device_count = count;
    api->device_name = api_device_name;
    api->malloc = api_malloc;
    api->free = api_free;
    api->copy_to_device = api_copy_to_device;
    api->copy_to_host = api_copy_to_host;
    api->synchronize = api_synchronize;
    api->run = api_run;
    api->has_kernel = api_has_kernel;
  });
}

// Checked by the compiler, not at run time: the loader casts dlsym's result to this type.
static_assert(std::is_same_v<decltype(&tk_cuda_open), TkCudaOpenFn>);
