#include "cuda_backend.hpp"

#include <cuda_runtime.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "../models/request_pieces.hpp"
#include "../program/request_outputs.hpp"
#include "cuda_model.hpp"
#include "cuda_program.hpp"
#include "device_buffer.cuh"

namespace ag::cuda {

DeviceStatus device_status() {
  DeviceStatus status;
  cudaRuntimeGetVersion(&status.runtime_version);
  const cudaError_t count_status = cudaGetDeviceCount(&status.device_count);
  if (count_status != cudaSuccess || status.device_count == 0) {
    cudaGetLastError();
    status.device_count = 0;
    status.reason = count_status != cudaSuccess ? cudaGetErrorString(count_status) : "no CUDA device found";
    return status;
  }
  cudaDeviceProp properties{};
  if (cudaGetDeviceProperties(&properties, 0) != cudaSuccess) {
    cudaGetLastError();
    status.reason = "cannot read the properties of CUDA device 0";
    return status;
  }
  status.available = true;
  status.name = properties.name;
  status.compute_major = properties.major;
  status.compute_minor = properties.minor;
  cudaMemGetInfo(&status.free_bytes, &status.total_bytes);
  return status;
}

namespace {

// Calls f(ModelTag<M>{}) for the request's model; the model's kernels live in models/<model>.cu.
template <class F>
void visit_request_model(const SimulationRequest& request, F&& f) {
  if (!visit_model(request.model.c_str(), f)) throw std::runtime_error("unknown model '" + request.model + "'");
}

int visible_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return count;
}

// Makes `device` the calling thread's current device for its lifetime, then restores the previous
// one: the addon runs requests on the libuv pool's threads, which serve other requests after.
class ScopedDevice {
 public:
  explicit ScopedDevice(int device) {
    check(cudaGetDevice(&previous_), "cudaGetDevice");
    if (device != previous_) check(cudaSetDevice(device), "cudaSetDevice");
    changed_ = device != previous_;
  }
  ScopedDevice(const ScopedDevice&) = delete;
  ScopedDevice& operator=(const ScopedDevice&) = delete;
  ~ScopedDevice() {
    if (changed_) cudaSetDevice(previous_);
  }

 private:
  int previous_ = 0;
  bool changed_ = false;
};

std::size_t free_bytes_of(int device) {
  const ScopedDevice scope(device);
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
  check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
  return free_bytes;
}

void throw_if_cancelled(const int32_t* cancel) {
  if (cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0) throw Cancelled();
}

// Runs the request on the calling thread's current device.
void simulate_here(const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  if (request.program) return simulate_program(request, host_buffers);
  visit_request_model(request, [&](auto model_tag) { simulate_model<typename decltype(model_tag)::type>(request, host_buffers); });
}

void simulate_on_device(int device, const SimulationRequest& request, const SimulationBuffers& host_buffers) {
  const ScopedDevice scope(device);
  simulate_here(request, host_buffers);
}

// Joins every thread of the list when it goes out of scope, also when starting a later one threw.
class JoinOnExit {
 public:
  explicit JoinOnExit(std::vector<std::thread>& threads) : threads_(threads) {}
  JoinOnExit(const JoinOnExit&) = delete;
  JoinOnExit& operator=(const JoinOnExit&) = delete;
  ~JoinOnExit() {
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  std::vector<std::thread>& threads_;
};

// One contiguous piece of the replicates per device, each on its own host thread; once all have
// ended, the first piece's error (in replicate order) is rethrown here.
void simulate_split(const SimulationRequest& request, const SimulationBuffers& host_buffers, const std::vector<int>& devices,
                    const int32_t* cancel) {
  const std::vector<ReplicateRange> ranges = split_replicates(request.replicates, static_cast<int>(devices.size()));
  const OutputLayout layout = output_layout(request, request_output_count(request));
  const std::size_t bytes = element_bytes(request.dtype);
  std::vector<std::exception_ptr> errors(ranges.size());
  {
    std::vector<std::thread> threads;
    threads.reserve(ranges.size());
    const JoinOnExit join(threads);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          throw_if_cancelled(cancel);
          simulate_on_device(devices[i], request_of_piece(request, ranges[i]), buffers_of_piece(host_buffers, layout, bytes, ranges[i]));
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    }
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace

std::vector<int> selected_devices(const SimulationRequest& request) {
  const int visible = visible_device_count();
  if (request.all_devices) {
    if (visible == 0) throw std::runtime_error("devices 'all': no CUDA device is visible");
    std::vector<int> all(static_cast<std::size_t>(visible));
    for (int d = 0; d < visible; ++d) all[static_cast<std::size_t>(d)] = d;
    return all;
  }
  if (request.devices.empty()) return {0};
  for (const int32_t device : request.devices) {
    if (device < 0 || device >= visible) {
      throw std::runtime_error("CUDA device " + std::to_string(device) + " is not visible (" + std::to_string(visible) +
                               " visible)");
    }
  }
  return std::vector<int>(request.devices.begin(), request.devices.end());
}

std::size_t device_bytes(const SimulationRequest& request) {
  if (request.program) return program_device_bytes(request);
  std::size_t bytes = 0;
  visit_request_model(request, [&](auto model_tag) { bytes = model_device_bytes<typename decltype(model_tag)::type>(request); });
  return bytes;
}

std::vector<DeviceShare> device_shares(const SimulationRequest& request) {
  const std::vector<int> devices = selected_devices(request);
  if (devices.size() == 1) return {DeviceShare{devices[0], request.replicates, device_bytes(request), free_bytes_of(devices[0])}};
  const std::vector<ReplicateRange> ranges = split_replicates(request.replicates, static_cast<int>(devices.size()));
  // The first piece is the largest; the others need at most as much.
  const std::size_t largest = device_bytes(request_of_piece(request, ranges.front()));
  std::vector<DeviceShare> shares;
  for (std::size_t i = 0; i < ranges.size(); ++i) shares.push_back(DeviceShare{devices[i], ranges[i].count, largest, free_bytes_of(devices[i])});
  return shares;
}

void simulate(const SimulationRequest& request, const SimulationBuffers& host_buffers, const int32_t* cancel) {
  throw_if_cancelled(cancel);
  const std::vector<int> devices = selected_devices(request);
  if (devices.size() == 1) return simulate_on_device(devices.front(), request, host_buffers);
  simulate_split(request, host_buffers, devices, cancel);
}

}  // namespace ag::cuda
