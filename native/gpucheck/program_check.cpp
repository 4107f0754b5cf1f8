#include "program_check.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../cpu/cpu_team.hpp"
#include "../cpu/partial_sums.hpp"
#include "../models/scalar_dispatch.hpp"
#include "../program/image.hpp"
#include "../program/interpreter.hpp"

namespace ag {

// CpuTeam as the interpreter's one member. Sum loops add agent i to lane i mod 16 and total the
// lanes pairwise (PartialSums), as the tile runner does, so that sums agree bitwise.
template <class S, class Mode>
struct ProgramMembers<cpu::CpuTeam<S, Mode>> {
  using Team = cpu::CpuTeam<S, Mode>;
  static constexpr int kMembers = 1;
  static constexpr int kLanes = 16;
  static int member(const Team&) { return 0; }
  static void barrier(Team&) {}
  static S total(Team&, const S& x) { return x; }

  template <class V>
  class Sums {
   public:
    using T = RealOf<V>;
    Sums(T*, int) {}
    void reset(int count) {
      for (int k = 0; k < count; ++k) sums_[k] = cpu::PartialSums<V, kLanes>();
    }
    void add(int k, int agent, const V& x) { sums_[k].add(agent % kLanes, x); }
    void add_value(int k, int agent, T x) { sums_[k].add_component(0, agent % kLanes, x); }
    V total(Team&, int k) { return sums_[k].total(); }

   private:
    cpu::PartialSums<V, kLanes> sums_[kMaxAccumulators];
  };
};

namespace gpucheck {

// A thread block emulated with kBlockMembers std::threads, as the interpreter's members, the
// CUDA backend's arrangement (member m runs agents m, m + M, ...; each keeps its own registers and
// sum partials; barriers; totals collective) on the CPU. With 16 members, member m's partial is
// the tile runner's lane m, and totals add the members pairwise as PartialSums adds its lanes,
// so that sums agree bitwise with the tile runner.
constexpr int kBlockMembers = 16;

template <class S>
class EmulatedBlock {
 public:
  void barrier() {
    std::unique_lock<std::mutex> lock(mutex_);
    const long generation = generation_;
    if (++arrived_ == kBlockMembers) {
      arrived_ = 0;
      ++generation_;
      woken_.notify_all();
    } else {
      woken_.wait(lock, [&] { return generation_ != generation; });
    }
  }
  S total(int member, const S& x) {
    slots_[member] = x;
    barrier();
    S lanes[kBlockMembers];
    for (int m = 0; m < kBlockMembers; ++m) lanes[m] = slots_[m];
    barrier();  // before the slots are written again
    for (int width = kBlockMembers / 2; width >= 1; width /= 2) {
      for (int j = 0; j < width; ++j) lanes[j] = lanes[j] + lanes[j + width];
    }
    return lanes[0];
  }

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  int arrived_ = 0;
  long generation_ = 0;
  S slots_[kBlockMembers];
};

template <class S>
class EmulatedMember : public TeamDraws<S> {
 public:
  EmulatedMember(DrawKey key, DiscreteOptions discrete, GraphView graph, int agents, int member, EmulatedBlock<S>& block)
      : TeamDraws<S>(key, discrete, graph), agents_(agents), member_(member), block_(block) {}
  int agents() const { return agents_; }
  bool is_leader() const { return member_ == 0; }
  int member() const { return member_; }
  EmulatedBlock<S>& block() { return block_; }

 private:
  int agents_;
  int member_;
  EmulatedBlock<S>& block_;
};

}  // namespace gpucheck

template <class S>
struct ProgramMembers<gpucheck::EmulatedMember<S>> {
  using Team = gpucheck::EmulatedMember<S>;
  static constexpr int kMembers = gpucheck::kBlockMembers;
  static int member(const Team& team) { return team.member(); }
  static void barrier(Team& team) { team.block().barrier(); }
  static S total(Team& team, const S& x) { return team.block().total(team.member(), x); }
  template <class V>
  using Sums = MemberRowSums<Team, V>;
};

}  // namespace ag

namespace ag::gpucheck {
namespace {

template <class S>
void run_pass(const SimulationRequest& request, const ReplicateInputs<RealOf<S>>& inputs, const std::vector<RealOf<S>>& table,
              const SimulationBuffers& buffers, const OutputLayout& layout, Interpreter where) {
  using T = RealOf<S>;
  const int members = where == Interpreter::block ? kBlockMembers : 1;
  const ProgramPlan plan(*request.program, request.settings, static_cast<int>(AgentArray<S>::reals_per_agent()), members);
  const ProgramImage image = plan.image();
  std::vector<T> workspace(plan.reals_per_replicate());
  for (int r = 0; r < request.replicates; ++r) {
    std::fill(workspace.begin(), workspace.end(), T(0));
    const T* point = table.empty() ? inputs.theta : table.data() + static_cast<std::size_t>(r) * inputs.parameters;
    const DrawKey key{request.seed, static_cast<uint32_t>(r)};
    const ReplicateOutputs<T> outputs = replicate_outputs<T>(buffers, layout, static_cast<std::size_t>(r));
    if (where == Interpreter::cpu_team) {
      using Team = cpu::CpuTeam<S, ModeFromOptions>;
      Team team(key, request.discrete, inputs.graph, inputs.agents, nullptr);
      ProgramInterpreter<Team, S> interpreter(team, image, inputs, point, workspace.data());
      interpreter.run(outputs);
      continue;
    }
    EmulatedBlock<S> block;
    std::vector<std::thread> threads;
    for (int m = 0; m < kBlockMembers; ++m) {
      threads.emplace_back([&, m] {
        EmulatedMember<S> team(key, request.discrete, inputs.graph, inputs.agents, m, block);
        ProgramInterpreter<EmulatedMember<S>, S> interpreter(team, image, inputs, point, workspace.data());
        interpreter.run(outputs);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
}

template <class T>
Outputs run_typed(const SimulationRequest& request, Interpreter where) {
  const int outputs = static_cast<int>(request.program->outputs.size());
  const ReplicateInputs<T> inputs = make_inputs<T>(request, outputs);
  const OutputLayout layout = output_layout(request, outputs);
  const std::size_t replicates = static_cast<std::size_t>(request.replicates);
  const std::size_t tangents = request.tangent_params.size();
  std::vector<T> values(replicates * layout.values_per_replicate()), tangent_buffer(replicates * layout.tangents_per_replicate());
  std::vector<T> log_prob(request.discrete.mode == DiscreteMode::score ? replicates * layout.log_prob_per_replicate() : 0);
  const SimulationBuffers buffers{values.data(), tangents > 0 ? tangent_buffer.data() : nullptr,
                                  log_prob.empty() ? nullptr : log_prob.data()};
  const std::vector<T> table = theta_table_as<T>(request);
  const int lanes = cuda_lanes_per_pass(request);
  const int K = inputs.tangents;
  for (int first = 0; first == 0 || first < K; first += lanes) {
    const int count = std::min(K - first, lanes);
    const ReplicateInputs<T> pass = inputs_for_lanes(inputs, first, count);
    if (lanes == 8) {
      visit_scalar_up_to<T, 8>(count, [&](auto tag) { run_pass<typename decltype(tag)::type>(request, pass, table, buffers, layout, where); });
    } else {
      visit_scalar_up_to<T, 4>(count, [&](auto tag) { run_pass<typename decltype(tag)::type>(request, pass, table, buffers, layout, where); });
    }
  }
  const auto widen = [](const std::vector<T>& from) { return std::vector<double>(from.begin(), from.end()); };
  return Outputs{widen(values), widen(tangent_buffer), widen(log_prob)};
}

// The largest |a - b| over the scale of its series (lane), as agreement.cpp scales errors.
double scaled_error(const std::vector<double>& a, const std::vector<double>& b, std::size_t series, std::string& where) {
  if (a.size() != b.size()) return HUGE_VAL;
  std::vector<double> scale(series, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isfinite(a[i])) scale[i % series] = std::max(scale[i % series], std::fabs(a[i]));
  }
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(a[i] - b[i]);
    const double e = !std::isfinite(a[i]) || !std::isfinite(b[i]) ? (a[i] == b[i] ? 0 : HUGE_VAL)
                     : scale[i % series] > 0                       ? d / scale[i % series]
                                                                  : (d == 0 ? 0 : HUGE_VAL);
    if (e > worst) {
      worst = e;
      char text[160];
      std::snprintf(text, sizeof text, "cell %zu: %.17g vs %.17g (series scale %.3g)", i, a[i], b[i], scale[i % series]);
      where = text;
    }
  }
  return worst;
}

// The first cell where two arrays differ in their bits, for a failure's detail.
std::string first_difference(const char* name, const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return std::string(name) + ": sizes differ";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) {
      char text[160];
      std::snprintf(text, sizeof text, "%s[%zu]: tile runner %.17g, interpreter %.17g", name, i, a[i], b[i]);
      return text;
    }
  }
  return "";
}

std::size_t count_non_finite(const std::vector<double>& x) {
  return static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](double v) { return !std::isfinite(v); }));
}

}  // namespace

Outputs run_interpreter_on_cpu(const SimulationRequest& request, Interpreter where) {
  return request.dtype == Dtype::float64 ? run_typed<double>(request, where) : run_typed<float>(request, where);
}

CaseResult check_interpreter_on_cpu(const Case& c, Interpreter where) {
  CaseResult result;
  result.name = case_name(c) + (where == Interpreter::block ? " [interpreter on a 16-thread block]" : " [interpreter on CpuTeam]");
  result.comparison = "cpu-interpreter";
  result.replicates = c.request.replicates;
  const int lanes = cuda_lanes_per_pass(c.request);
  result.passes = std::max(1, (static_cast<int>(c.request.tangent_params.size()) + lanes - 1) / lanes);
  result.tolerance = c.request.dtype == Dtype::float64 ? 1e-11 : 1e-3;
  result.tolerance_max = result.tolerance;
  try {
    auto start = std::chrono::steady_clock::now();
    const Outputs runner = run(c.request, Backend::cpu);
    result.cpu_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    const Outputs interpreter = run_interpreter_on_cpu(c.request, where);
    result.gpu_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t non_finite = count_non_finite(runner.values) + count_non_finite(runner.tangents) + count_non_finite(runner.log_prob);
    std::string where;
    const std::size_t lanes_of_log_prob = 1 + c.request.tangent_params.size();
    result.max_error = runner.log_prob.empty() ? 0 : scaled_error(runner.log_prob, interpreter.log_prob, lanes_of_log_prob, where);
    const std::string values = first_difference("values", runner.values, interpreter.values);
    const std::string tangents = first_difference("tangents", runner.tangents, interpreter.tangents);
    if (non_finite > 0) {
      result.detail = std::to_string(non_finite) + " non-finite outputs of the tile runner";
    } else if (!values.empty() || !tangents.empty()) {
      result.detail = values.empty() ? tangents : values;
    } else if (result.max_error > result.tolerance) {
      result.detail = "log_prob " + where;
    } else {
      result.passed = true;
    }
  } catch (const std::exception& error) {
    result.passed = false;
    result.detail = std::string("error: ") + error.what();
  }
  return result;
}

}  // namespace ag::gpucheck
