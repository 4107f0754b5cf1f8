#include "cpu_backend.hpp"

#include <algorithm>
#include <vector>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "cpu_team.hpp"
#include "thread_pool.hpp"

namespace ag::cpu {
namespace {

int lanes_for(const SimulationRequest& request) {
  const int threads = request.threads > 0 ? request.threads : default_threads();
  return std::max(1, std::min(threads, request.replicates));
}

bool is_cancelled(const int32_t* cancel) {
  return cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}

// Calls f(FixedMode<M>{}) for the request's estimator mode M, so that agent loops are compiled per mode.
template <class F>
void visit_mode(DiscreteMode mode, F&& f) {
  switch (mode) {
    case DiscreteMode::relaxed: f(FixedMode<DiscreteMode::relaxed>{}); break;
    case DiscreteMode::straight_through: f(FixedMode<DiscreteMode::straight_through>{}); break;
    case DiscreteMode::smoothed: f(FixedMode<DiscreteMode::smoothed>{}); break;
    case DiscreteMode::score: f(FixedMode<DiscreteMode::score>{}); break;
    case DiscreteMode::exact:
    default: f(FixedMode<DiscreteMode::exact>{}); break;
  }
}

template <class Model, class S, class Mode>
void simulate_model(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  using T = RealOf<S>;
  const ReplicateInputs<T> inputs = make_replicate_inputs<Model, T>(request);
  const OutputLayout layout = output_layout(request, output_count<Model>());
  const int lanes = lanes_for(request);
  const std::size_t workspace_reals = agent_fields_reals<S>(Model::kAgentFields, inputs.agents);
  std::vector<std::vector<T>> workspaces(lanes, std::vector<T>(workspace_reals));

  ThreadPool::shared().parallel_for(request.replicates, lanes, [&](int r, int lane) {
    if (is_cancelled(cancel)) throw Cancelled();
    CpuTeam<S, Mode> team(DrawKey{request.seed, static_cast<uint32_t>(r)}, request.discrete, inputs.agents,
                          workspaces[lane].data());
    run_replicate<Model, S, CpuTeam<S, Mode>, parameter_count<Model>(), output_count<Model>()>(
        team, inputs, replicate_outputs<T>(buffers, layout, r));
  });
}

}  // namespace

int default_threads() { return hardware_threads(); }

std::size_t workspace_bytes(const SimulationRequest& request) {
  std::size_t bytes = 0;
  visit_model(request.model.c_str(), [&](auto model_tag) {
    using Model = typename decltype(model_tag)::type;
    visit_scalar(request.dtype, static_cast<int>(request.tangent_params.size()), [&](auto scalar_tag) {
      using S = typename decltype(scalar_tag)::type;
      const int agents = static_cast<int>(request.settings[kAgentsSetting]);
      bytes = static_cast<std::size_t>(lanes_for(request)) * agent_fields_reals<S>(Model::kAgentFields, agents) *
              sizeof(RealOf<S>);
    });
  });
  return bytes;
}

void simulate(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel) {
  const bool known = visit_model(request.model.c_str(), [&](auto model_tag) {
    using Model = typename decltype(model_tag)::type;
    visit_scalar(request.dtype, static_cast<int>(request.tangent_params.size()), [&](auto scalar_tag) {
      visit_mode(request.discrete.mode, [&](auto mode) {
        simulate_model<Model, typename decltype(scalar_tag)::type, decltype(mode)>(request, buffers, cancel);
      });
    });
  });
  if (!known) throw std::runtime_error("unknown model '" + request.model + "'");
}

}  // namespace ag::cpu
