// What a backend is asked to run and where it writes, and the per-replicate time loop that every
// backend runs through its own team type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../core/config.hpp"
#include "../core/discrete.hpp"
#include "../core/dual.hpp"
#include "../core/graph_view.hpp"
#include "../core/tangent_ops.hpp"
#include "model_spec.hpp"

namespace ag {

struct Program;  // program/program.hpp
namespace cpu {
struct ProgramPlan;  // cpu/program_layout.hpp
}

enum class Dtype : int32_t { float32 = 0, float64 = 1 };

// A time-varying parameter: on steps from <= t < to the model sees theta[parameter] multiplied by a
// factor. The factors are extra entries of theta after the model's own parameters (factor m at
// index parameters + m), so they carry tangents and take part in inference like any parameter.
struct Intervention {
  int32_t parameter;
  int32_t from;
  int32_t to;
};
constexpr int kMaxInterventions = 4;

struct Schedule {
  int32_t count = 0;
  Intervention items[kMaxInterventions] = {};
};

struct SimulationRequest {
  std::string model;                   // a registered model's name, or the program's
  std::shared_ptr<const Program> program;  // a model program (defineModel), validated; null for a registered model
  std::vector<double> theta;           // natural units: the model's parameters, then intervention factors
  std::vector<double> theta_table;     // optional [replicates][theta.size()]: a point per replicate
  std::vector<Intervention> interventions;
  std::vector<int32_t> graph_offsets;     // CSR contact graph (models with kUsesGraph)
  std::vector<int32_t> graph_neighbours;
  std::vector<double> settings;        // complete, in the model's setting order
  std::vector<int32_t> tangent_params; // parameter index of tangent lane k
  int32_t replicates = 1;
  uint64_t seed = 0;
  uint32_t first_replicate = 0;  // replicate r draws the random numbers of replicate first_replicate + r
  DiscreteOptions discrete{DiscreteMode::exact, 0.1, 5.0};
  Dtype dtype = Dtype::float32;
  int32_t threads = 0;  // CPU only; 0 = all cores
  // CUDA only: the devices the replicates are spread over, one contiguous piece each. Empty: device
  // 0 alone, or every visible device with all_devices (counted when the request runs).
  std::vector<int32_t> devices;
  bool all_devices = false;
  // CUDA only: the replicate count that decides how many blocks a replicate spans (0: replicates).
  // A piece of a request split over devices keeps the whole request's, so that its sums group the
  // agents as the whole request's would, and the pieces give bitwise the numbers of the whole.
  int32_t plan_replicates = 0;
};

// Output buffers owned by the caller, in the element type of the request's dtype:
// values [replicates][steps + 1][outputs], tangents [replicates][steps + 1][outputs][K],
// log_prob [replicates][1 + K] (score mode: log p(draws) and its tangents).
struct SimulationBuffers {
  void* values = nullptr;
  void* tangents = nullptr;
  void* log_prob = nullptr;
};

// Scalars handed to a replicate by value (so they can be a CUDA kernel argument).
template <class T>
struct ReplicateInputs {
  T theta[kMaxParameters];
  int32_t lane[kMaxParameters];  // tangent lane of parameter j, or -1
  int32_t parameters;            // model parameters + intervention factors: the length of a point
  Schedule schedule;
  GraphView graph;
  double settings[kMaxSettings];
  int32_t agents;
  int32_t steps;
  int32_t outputs;
  int32_t tangents;        // lanes this run carries (the scalar may have more, left zero)
  int32_t tangent_stride;  // K of the request: lanes per output cell in the tangent buffer
  int32_t tangent_offset;  // first of the request's lanes this run carries (a backend may split K)
  const Program* program;  // the model program a program kernel runs; null for a registered model
  const cpu::ProgramPlan* program_plan;  // where the CPU runner keeps its state (CPU backend only)
};

template <class T>
struct ReplicateOutputs {
  T* values;
  T* tangents;
  T* log_prob;
};

template <class S>
AG_HD AG_INLINE S parameter_scalar(RealOf<S> x, int32_t lane) {
  S s(x);
  if constexpr (ScalarTraits<S>::tangents > 0) {
    for (int k = 0; k < ScalarTraits<S>::tangents; ++k) s.d[k] = k == lane ? RealOf<S>(1) : RealOf<S>(0);
  }
  return s;
}

// The model's parameters at step t: theta with the factors of the interventions active at t
// applied. Every index is a compile-time constant once the loops unroll, so on the GPU the
// parameters stay in registers instead of a stack array indexed at run time.
template <class S, int NumParams>
class ScheduledTheta {
 public:
  AG_HD ScheduledTheta(const S* theta, const Schedule& schedule) : theta_(theta), schedule_(schedule) {}

  AG_HD AG_INLINE const S* at(int t) {
    AG_UNROLL_TANGENTS
    for (int j = 0; j < NumParams; ++j) {
      S value = theta_[j];
      AG_UNROLL_TANGENTS
      for (int m = 0; m < kMaxInterventions; ++m) {
        const Intervention& item = schedule_.items[m];
        const bool active = m < schedule_.count && item.parameter == j && item.from <= t && t < item.to;
        if (active) value *= theta_[NumParams + m];  // m < count: entry NumParams + m was set
      }
      scheduled_[j] = value;
    }
    return scheduled_;
  }

 private:
  const S* theta_;
  const Schedule& schedule_;
  S scheduled_[NumParams];
};

// The whole trajectory of one replicate at parameter point `point`: init, then `steps` steps,
// observing after each.
template <class Model, class S, class Team, int NumParams, int NumOutputs>
AG_HD AG_FLATTEN void run_replicate(Team& team, const ReplicateInputs<RealOf<S>>& in, const RealOf<S>* point,
                                    const ReplicateOutputs<RealOf<S>>& out) {
  static_assert(NumParams + kMaxInterventions <= kMaxParameters, "room for the intervention factors");
  // Read once per step by ScheduledTheta, so it may live in (cached) local memory on the GPU: the
  // run-time bound keeps it out of the registers that the step's own arithmetic needs.
  S theta[NumParams + kMaxInterventions];
  for (int j = 0; j < in.parameters; ++j) theta[j] = parameter_scalar<S>(point[j], in.lane[j]);
  ScheduledTheta<S, NumParams> scheduled(theta, in.schedule);

  typename Model::template State<S> state;
  S observed[NumOutputs];
  const int row = NumOutputs;
  auto record = [&](int t) {
    Model::observe(state, observed);
    if (!team.is_leader()) return;
    for (int o = 0; o < NumOutputs; ++o) {
      const std::size_t cell = static_cast<std::size_t>(t) * row + o;
      out.values[cell] = value(observed[o]);
      if (in.tangents > 0) {
        store_tangents(observed[o], out.tangents + cell * in.tangent_stride + in.tangent_offset, in.tangents);
      }
    }
  };

  Model::init(team, scheduled.at(0), in.settings, state);
  record(0);
  for (int t = 1; t <= in.steps; ++t) {
    Model::step(team, scheduled.at(t), in.settings, state, t);
    record(t);
  }
  const S log_prob = team.total_log_prob();
  if (out.log_prob != nullptr && team.is_leader()) {
    out.log_prob[0] = value(log_prob);
    store_tangents(log_prob, out.log_prob + 1 + in.tangent_offset, in.tangents);
  }
}

}  // namespace ag

namespace ag {

// Element offsets of replicate r in the output buffers.
struct OutputLayout {
  int32_t steps;
  int32_t outputs;
  int32_t tangents;
  AG_HD std::size_t values_per_replicate() const { return static_cast<std::size_t>(steps + 1) * outputs; }
  AG_HD std::size_t tangents_per_replicate() const { return values_per_replicate() * tangents; }
  AG_HD std::size_t log_prob_per_replicate() const { return static_cast<std::size_t>(1 + tangents); }
};

template <class T>
AG_HD ReplicateOutputs<T> replicate_outputs(const SimulationBuffers& buffers, const OutputLayout& layout, std::size_t r) {
  T* values = static_cast<T*>(buffers.values);
  T* tangents = static_cast<T*>(buffers.tangents);
  T* log_prob = static_cast<T*>(buffers.log_prob);
  return ReplicateOutputs<T>{
      values + r * layout.values_per_replicate(),
      tangents == nullptr ? nullptr : tangents + r * layout.tangents_per_replicate(),
      log_prob == nullptr ? nullptr : log_prob + r * layout.log_prob_per_replicate(),
  };
}

template <class T>
ReplicateInputs<T> make_inputs(const SimulationRequest& request, int outputs) {
  ReplicateInputs<T> in{};
  for (int j = 0; j < kMaxParameters; ++j) {
    in.theta[j] = j < static_cast<int>(request.theta.size()) ? static_cast<T>(request.theta[j]) : T(0);
    in.lane[j] = -1;
  }
  for (std::size_t k = 0; k < request.tangent_params.size(); ++k) in.lane[request.tangent_params[k]] = static_cast<int32_t>(k);
  for (int s = 0; s < kMaxSettings; ++s) in.settings[s] = s < static_cast<int>(request.settings.size()) ? request.settings[s] : 0.0;
  in.parameters = static_cast<int32_t>(request.theta.size());
  in.schedule.count = static_cast<int32_t>(request.interventions.size());
  for (std::size_t m = 0; m < request.interventions.size(); ++m) in.schedule.items[m] = request.interventions[m];
  in.graph = GraphView{request.graph_offsets.empty() ? nullptr : request.graph_offsets.data(),
                       request.graph_neighbours.empty() ? nullptr : request.graph_neighbours.data()};
  in.agents = static_cast<int32_t>(request.settings[0]);
  in.steps = static_cast<int32_t>(request.settings[1]);
  in.outputs = outputs;
  in.tangents = static_cast<int32_t>(request.tangent_params.size());
  in.tangent_stride = in.tangents;
  in.tangent_offset = 0;
  in.program = request.program.get();
  return in;
}

template <class Model, class T>
ReplicateInputs<T> make_replicate_inputs(const SimulationRequest& request) {
  return make_inputs<T>(request, static_cast<int>(sizeof(Model::kOutputs) / sizeof(Model::kOutputs[0])));
}

// The inputs of a run that carries only the request's tangent lanes [first, first + count), into
// their places in the full tangent buffer: backends whose scalar types cannot hold all K lanes at
// once run the request in passes.
template <class T>
ReplicateInputs<T> inputs_for_lanes(const ReplicateInputs<T>& inputs, int first, int count) {
  ReplicateInputs<T> pass = inputs;
  for (int j = 0; j < kMaxParameters; ++j) {
    const int lane = inputs.lane[j];
    pass.lane[j] = lane >= first && lane < first + count ? lane - first : -1;
  }
  pass.tangents = count;
  pass.tangent_offset = first;
  return pass;
}

// The parameter table of a request in the element type T, or empty when every replicate uses theta.
template <class T>
std::vector<T> theta_table_as(const SimulationRequest& request) {
  return std::vector<T>(request.theta_table.begin(), request.theta_table.end());
}

inline OutputLayout output_layout(const SimulationRequest& request, int outputs) {
  return OutputLayout{static_cast<int32_t>(request.settings[1]), outputs, static_cast<int32_t>(request.tangent_params.size())};
}

}  // namespace ag
