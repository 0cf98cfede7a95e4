#include "device.h"

#include <memory>
#include <mutex>
#include <vector>

#include "check.h"

namespace tessera::cuda {

namespace {

struct DeviceState {
  std::mutex mutex;  // not std::once_flag: GCC 12's call_once hangs after a throwing call
  cudaStream_t stream = nullptr;
};

// Sized once by discover_devices, before any other entry point can run. Streams are never
// destroyed: at process exit the driver may already be gone, and the OS reclaims them.
std::vector<std::unique_ptr<DeviceState>>& devices() {
  static auto* d = new std::vector<std::unique_ptr<DeviceState>>();
  return *d;
}

std::string version_text(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

DeviceState& state(int device) {
  TK_CHECK(device >= 0 && device < device_count(),
           "cuda:" << device << " does not exist: found " << device_count() << " CUDA device(s)");
  return *devices()[device];
}

}  // namespace

int discover_devices(std::string* reason) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    const std::string cause = std::string(" (") + cudaGetErrorName(status) + ": " + cudaGetErrorString(status) + ")";
    int driver = 0;
    cudaDriverGetVersion(&driver);
    if (status == cudaErrorInsufficientDriver && driver == 0) {
      *reason = "no CUDA driver found" + cause;
    } else if (status == cudaErrorInsufficientDriver) {
      *reason = "the NVIDIA driver supports CUDA " + version_text(driver) + ", older than the CUDA " +
                version_text(CUDART_VERSION) + " this library was built with; update the driver" + cause;
    } else if (status == cudaErrorNoDevice) {
      *reason = "no CUDA device found" + cause;
    } else {
      *reason = "CUDA could not start" + cause;
    }
    cudaGetLastError();  // leave no error behind for the next caller
    return 0;
  }
  if (count == 0) {
    *reason = "no CUDA device found";
    return 0;
  }
  devices().clear();
  for (int i = 0; i < count; ++i) devices().push_back(std::make_unique<DeviceState>());
  return count;
}

int device_count() { return static_cast<int>(devices().size()); }

cudaStream_t activate(int device) {
  DeviceState& s = state(device);
  TK_CUDA_CHECK(cudaSetDevice(device));
  std::lock_guard<std::mutex> lock(s.mutex);
  // Non-blocking: never serialized behind the legacy default stream of other code in the process.
  if (!s.stream) TK_CUDA_CHECK(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking));
  return s.stream;
}

std::string device_name(int device) {
  state(device);  // checks the index
  cudaDeviceProp prop{};
  TK_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  return prop.name;
}

void synchronize(int device) { TK_CUDA_CHECK(cudaStreamSynchronize(activate(device))); }

}  // namespace tessera::cuda
