// The requests the GPU check runs: every registered model at its reference parameters, built here
// as the addon's request parser would build them (native/addon/request_parser.cpp), and the output
// buffers they fill.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../models/registry.hpp"
#include "../models/simulation.hpp"

namespace ag::gpucheck {

// What the check needs to know of a registered model.
struct ModelInfo {
  std::string name;
  int parameters;
  int outputs;
  int agent_fields;  // per-agent state fields (the benchmark's memory traffic)
  bool continuous;   // no discrete draws or thresholds (registry.hpp, is_continuous)
  bool uses_graph;
  int fallback_steps;  // the steps setting's fallback
};

std::vector<ModelInfo> registered_models();
const ModelInfo& model_info(const std::string& name);

// A request for `model` at its reference parameters and fallback settings, with `agents` and
// `steps` clamped into the settings' ranges (Brock-Hommes has exactly 4 agents), in straight-through
// mode at tau 0.1 (the addon's default), float32, no tangents. Models that read a contact graph get
// ring_lattice_graph(agents).
SimulationRequest reference_request(const std::string& model, int agents, int steps, int replicates, uint64_t seed);

// A ring lattice in CSR form: agent i's contacts are the `half_width` agents on each side, plus one
// long-range contact (a fixed pseudo-random agent), so that a replicate spread over several blocks
// reads neighbours in other blocks everywhere, not only at block edges.
void ring_lattice_graph(int agents, int half_width, std::vector<int32_t>& offsets, std::vector<int32_t>& neighbours);

// Tangents on every model parameter.
void tangents_on_parameters(SimulationRequest& request);

// Four interventions (factors 0.8, 0.9, 1.1, 1.2 on parameters 0, 1, 2, 3 modulo the parameter
// count, over overlapping windows) and tangents on every parameter and factor: up to 15 lanes.
void tangents_with_interventions(SimulationRequest& request);

// The most tangent lanes one CUDA kernel run carries: lanes_per_pass in
// native/cuda/model_simulation.cuh (8 float, 4 double; half for models with more than 6 parameters),
// and program_lanes_per_pass in native/cuda/program.cu for a program (8 float, 4 double).
int cuda_lanes_per_pass(const std::string& model, Dtype dtype);
int cuda_lanes_per_pass(const SimulationRequest& request);

// The parameters and outputs of the request's model or program.
int parameters_of(const SimulationRequest& request);
int outputs_of(const SimulationRequest& request);

const char* mode_name(DiscreteMode mode);
const char* dtype_name(Dtype dtype);

// A run's outputs, widened to double (exactly, so bitwise comparisons still mean bitwise).
struct Outputs {
  std::vector<double> values;    // [replicates][steps + 1][outputs]
  std::vector<double> tangents;  // [replicates][steps + 1][outputs][K]
  std::vector<double> log_prob;  // [replicates][1 + K], score mode only
};

enum class Backend { cpu, cuda };

// Runs the request on a backend; throws std::runtime_error on failure.
Outputs run(const SimulationRequest& request, Backend backend);

// Runs the request on a backend and returns the seconds its simulate call took (buffers allocated
// before, outputs discarded).
double timed_run(const SimulationRequest& request, Backend backend);

// The agent-steps of a request: replicates x agents x steps.
double agent_steps(const SimulationRequest& request);

}  // namespace ag::gpucheck
