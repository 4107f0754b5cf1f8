// The agreement tests: each case runs on the CPU backend (the reference) and on the CUDA backend,
// and the outputs are compared under the rule in agreement.cpp. Without CUDA, each case runs on the
// CPU on 1 and on 2 threads instead, which must give bitwise the same, finite numbers.
#pragma once

#include <string>
#include <vector>

#include "../models/simulation.hpp"

namespace ag::gpucheck {

struct Case {
  std::string group;  // "agreement" (every model, mode, dtype, tangents), "grid" (replicates over blocks), "program"
                      // or "devices" (a request split into pieces; device_split.hpp)
  SimulationRequest request;
  int blocks_per_replicate = 0;  // AGENTGRAD_CUDA_BLOCKS_PER_REPLICATE for the CUDA run; 0: automatic
};

std::vector<Case> agreement_cases();
std::vector<Case> grid_cases();
// Model programs (programs.hpp) in every mode, dtype and tangent set, and at the edges of the CUDA
// backend's launches; group "program". Each also runs through the interpreter on the CPU
// (program_check.hpp).
std::vector<Case> program_cases();

std::string case_name(const Case& c);

struct CaseResult {
  std::string name;
  std::string comparison;  // "cpu-cuda", "cpu-threads" (1 vs 2 threads, without CUDA), "cpu-interpreter", or a split
                           // request's "cpu-pieces", "cuda-pieces", "cuda-devices" (device_split.hpp)
  bool passed = false;
  double max_error = 0;            // largest |a - b| / series scale over every cell
  double max_error_agreeing = 0;   // the same over the replicates that agree
  int replicates = 0;
  int disagreeing = 0;             // replicates with a cell beyond the tolerance
  int allowed = 0;                 // how many may disagree (flipped draws, see agreement.cpp)
  double tolerance = 0;            // the floor of a replicate's tolerance (0: bitwise)
  double tolerance_max = 0;        // the largest tolerance the rounding probe gave a replicate
  double probe_max_error = 0;      // the largest error between the CPU's run and its rounding probe
  int passes = 1;                  // CUDA runs of the tangent lanes (cuda_lanes_per_pass)
  double cpu_seconds = 0;
  double gpu_seconds = 0;
  std::string detail;              // the worst cell, or what went wrong
};

// CPU against CUDA.
CaseResult check_against_cuda(const Case& c);
// CPU on 1 thread against CPU on 2 threads (no CUDA side).
CaseResult check_cpu_threads(const Case& c);

std::string result_line(const CaseResult& result);

}  // namespace ag::gpucheck
