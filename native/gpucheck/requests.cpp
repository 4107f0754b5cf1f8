#include "requests.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "../cpu/cpu_backend.hpp"
#include "../models/registry.hpp"
#include "../program/program.hpp"
#if AGENTGRAD_WITH_CUDA
#include "../cuda/cuda_backend.hpp"
#endif

namespace ag::gpucheck {

std::vector<ModelInfo> registered_models() {
  std::vector<ModelInfo> models;
  for_each_model([&](auto tag) {
    using Model = typename decltype(tag)::type;
    models.push_back(ModelInfo{Model::kName, parameter_count<Model>(), output_count<Model>(), Model::kAgentFields,
                               is_continuous<Model>(), uses_graph<Model>(),
                               static_cast<int>(Model::kSettings[kStepsSetting].fallback)});
  });
  return models;
}

const ModelInfo& model_info(const std::string& name) {
  static const std::vector<ModelInfo> models = registered_models();
  for (const ModelInfo& m : models) {
    if (m.name == name) return m;
  }
  throw std::runtime_error("unknown model '" + name + "'");
}

void ring_lattice_graph(int agents, int half_width, std::vector<int32_t>& offsets, std::vector<int32_t>& neighbours) {
  offsets.assign(1, 0);
  neighbours.clear();
  for (int i = 0; i < agents; ++i) {
    for (int d = 1; d <= half_width && 2 * d <= agents - 1; ++d) {
      neighbours.push_back((i + d) % agents);
      neighbours.push_back((i - d + agents) % agents);
    }
    const int far = static_cast<int>((static_cast<uint64_t>(i) * 2654435761u + agents / 2) % agents);
    if (far != i) neighbours.push_back(far);
    offsets.push_back(static_cast<int32_t>(neighbours.size()));
  }
}

SimulationRequest reference_request(const std::string& model, int agents, int steps, int replicates, uint64_t seed) {
  SimulationRequest request;
  request.model = model;
  request.replicates = replicates;
  request.seed = seed;
  request.discrete = DiscreteOptions{DiscreteMode::straight_through, 0.1, 5.0};
  request.dtype = Dtype::float32;
  const bool known = visit_model(model.c_str(), [&](auto tag) {
    using Model = typename decltype(tag)::type;
    for (const ParameterSpec& p : Model::kParameters) request.theta.push_back(p.reference);
    for (const SettingSpec& s : Model::kSettings) request.settings.push_back(s.fallback);
    const auto clamp = [](double x, const SettingSpec& s) { return std::min(std::max(x, s.min), s.max); };
    request.settings[kAgentsSetting] = clamp(agents, Model::kSettings[kAgentsSetting]);
    request.settings[kStepsSetting] = clamp(steps, Model::kSettings[kStepsSetting]);
    if constexpr (uses_graph<Model>()) {
      ring_lattice_graph(static_cast<int>(request.settings[kAgentsSetting]), 5, request.graph_offsets,
                         request.graph_neighbours);
    }
  });
  if (!known) throw std::runtime_error("unknown model '" + model + "'");
  return request;
}

int parameters_of(const SimulationRequest& request) {
  return request.program ? static_cast<int>(request.program->parameters.size()) : model_info(request.model).parameters;
}

int outputs_of(const SimulationRequest& request) {
  return request.program ? static_cast<int>(request.program->outputs.size()) : model_info(request.model).outputs;
}

void tangents_on_parameters(SimulationRequest& request) {
  request.tangent_params.clear();
  for (int j = 0; j < parameters_of(request); ++j) request.tangent_params.push_back(j);
}

void tangents_with_interventions(SimulationRequest& request) {
  const int parameters = parameters_of(request);
  const int steps = static_cast<int>(request.settings[kStepsSetting]);
  const double factors[kMaxInterventions] = {0.8, 0.9, 1.1, 1.2};  // product 0.95: unit parameters stay in [0, 1]
  request.interventions.clear();
  request.theta.resize(parameters);
  for (int m = 0; m < kMaxInterventions; ++m) {
    const int32_t from = 1 + m * steps / 5;
    request.interventions.push_back(Intervention{m % parameters, from, std::max(from + 1, from + steps / 2)});
    request.theta.push_back(factors[m]);
  }
  const int count = std::min(parameters + kMaxInterventions, 16);  // kMaxTangents
  request.tangent_params.clear();
  for (int j = 0; j < count; ++j) request.tangent_params.push_back(j);
}

int cuda_lanes_per_pass(const std::string& model, Dtype dtype) {
  const int lanes = dtype == Dtype::float32 ? 8 : 4;
  return model_info(model).parameters > 6 ? lanes / 2 : lanes;
}

int cuda_lanes_per_pass(const SimulationRequest& request) {
  if (request.program) return request.dtype == Dtype::float32 ? 8 : 4;
  return cuda_lanes_per_pass(request.model, request.dtype);
}

const char* mode_name(DiscreteMode mode) {
  switch (mode) {
    case DiscreteMode::exact: return "exact";
    case DiscreteMode::relaxed: return "relaxed";
    case DiscreteMode::straight_through: return "straight-through";
    case DiscreteMode::smoothed: return "smoothed";
    case DiscreteMode::score: return "score";
  }
  return "?";
}

const char* dtype_name(Dtype dtype) { return dtype == Dtype::float64 ? "float64" : "float32"; }

double agent_steps(const SimulationRequest& request) {
  return static_cast<double>(request.replicates) * request.settings[kAgentsSetting] * request.settings[kStepsSetting];
}

namespace {

template <class T>
Outputs run_typed(const SimulationRequest& request, Backend backend, double* seconds) {
  const std::size_t replicates = static_cast<std::size_t>(request.replicates);
  const std::size_t steps = static_cast<std::size_t>(request.settings[kStepsSetting]);
  const std::size_t tangents = request.tangent_params.size();
  const std::size_t values = replicates * (steps + 1) * static_cast<std::size_t>(outputs_of(request));
  std::vector<T> value_buffer(values), tangent_buffer(values * tangents), log_prob_buffer;
  if (request.discrete.mode == DiscreteMode::score) log_prob_buffer.resize(replicates * (1 + tangents));
  const SimulationBuffers buffers{value_buffer.data(), tangents > 0 ? tangent_buffer.data() : nullptr,
                                  log_prob_buffer.empty() ? nullptr : log_prob_buffer.data()};
  const auto start = std::chrono::steady_clock::now();
  if (backend == Backend::cpu) {
    cpu::simulate(request, buffers, nullptr);
  } else {
#if AGENTGRAD_WITH_CUDA
    cuda::simulate(request, buffers, nullptr);
#else
    throw std::runtime_error("built without the CUDA backend");
#endif
  }
  if (seconds != nullptr) {
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return Outputs{};
  }
  const auto widen = [](const std::vector<T>& from) { return std::vector<double>(from.begin(), from.end()); };
  return Outputs{widen(value_buffer), widen(tangent_buffer), widen(log_prob_buffer)};
}

}  // namespace

Outputs run(const SimulationRequest& request, Backend backend) {
  return request.dtype == Dtype::float64 ? run_typed<double>(request, backend, nullptr)
                                         : run_typed<float>(request, backend, nullptr);
}

double timed_run(const SimulationRequest& request, Backend backend) {
  double seconds = 0;
  if (request.dtype == Dtype::float64) {
    run_typed<double>(request, backend, &seconds);
  } else {
    run_typed<float>(request, backend, &seconds);
  }
  return seconds;
}

}  // namespace ag::gpucheck
