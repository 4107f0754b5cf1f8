// The GPU benchmark: agent-steps per second of every model on the CUDA backend and on the CPU
// backend, and the GPU's share of its memory-bandwidth roofline.
#pragma once

#include <string>
#include <vector>

#include "device_info.hpp"

namespace ag::gpucheck {

struct BenchmarkRow {
  std::string model;
  std::string dtype;
  std::string mode;
  int tangents = 0;
  int replicates = 0;
  int agents = 0;
  int steps = 0;
  double gpu_seconds = 0;  // median of 3 simulate calls after a warm-up (allocation and copies included)
  double gpu_agent_steps_per_second = 0;
  double cpu_seconds = 0;  // the faster of 2 simulate calls on every core
  double cpu_agent_steps_per_second = 0;
  int cpu_threads = 0;
  double speedup = 0;  // GPU over CPU agent-steps per second
  // Agent state an agent-step must read and write: 2 x fields x (1 + K) reals; 0 for models whose
  // state is per replicate (no roofline then).
  double bytes_per_agent_step = 0;
  double roofline_fraction = -1;  // achieved state bandwidth / peak memory bandwidth; -1: none
  std::string error;
};

// Every model at 1000 replicates x 1000 agents (Brock-Hommes: 4) x 100 steps, float32,
// straight-through at tau 0.1 (the default), without tangents and with all parameters'.
std::vector<BenchmarkRow> run_benchmark(const DeviceInfo& device);

std::string benchmark_line(const BenchmarkRow& row);

}  // namespace ag::gpucheck
