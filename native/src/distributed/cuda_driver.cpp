#include "cuda_driver.h"

#include <dlfcn.h>

#include "dl_symbols.h"

namespace tessera_mpi {

namespace {

struct Loaded {
  CudaDriver api{};
  bool ok = false;
  std::string reason;
};

using tessera_dl::resolve;

Loaded load() {
  Loaded l;
  void* handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    l.reason = "the CUDA driver libcuda.so.1 could not be loaded (" + std::string(e ? e : "no reason given") + ")";
    return l;
  }
  std::string missing;
  CudaDriver& a = l.api;
  resolve(handle, "cuInit", &a.init, &missing);
  resolve(handle, "cuDeviceGetCount", &a.device_get_count, &missing);
  resolve(handle, "cuDeviceGet", &a.device_get, &missing);
  resolve(handle, "cuDevicePrimaryCtxRetain", &a.primary_ctx_retain, &missing);
  resolve(handle, "cuCtxSetCurrent", &a.ctx_set_current, &missing);
  resolve(handle, "cuStreamCreate", &a.stream_create, &missing);
  resolve(handle, "cuStreamQuery", &a.stream_query, &missing);
  resolve(handle, "cuGetErrorString", &a.get_error_string, &missing);
  if (!missing.empty()) {
    l.reason = "the CUDA driver libcuda.so.1 lacks " + missing;
    return l;
  }
  const int rc = a.init(0);
  if (rc != kCudaSuccess) {
    l.reason = "the CUDA driver did not start: " + [&] {
      const char* text = nullptr;
      a.get_error_string(rc, &text);
      return std::string(text ? text : "unknown error") + " (" + std::to_string(rc) + ")";
    }();
    return l;
  }
  l.ok = true;
  return l;
}

}  // namespace

const CudaDriver* cuda_driver(std::string* reason) {
  static const Loaded loaded = load();
  if (!loaded.ok) *reason = loaded.reason;
  return loaded.ok ? &loaded.api : nullptr;
}

std::string cuda_error(const char* call, int code) {
  std::string dummy;
  const CudaDriver* d = cuda_driver(&dummy);
  const char* text = nullptr;
  if (d != nullptr) d->get_error_string(code, &text);
  return std::string(call) + ": " + (text ? text : "unknown error") + " (" + std::to_string(code) + ")";
}

}  // namespace tessera_mpi
