#include "agreement.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "../models/registry.hpp"
#include "programs.hpp"
#include "requests.hpp"

namespace ag::gpucheck {

// The rule. Both backends run the same model source on the same counter-based random numbers, so
// they differ only in rounding: the order of sums (tiles of partial sums on the CPU, CUB block
// trees and per-block partials on the GPU), fused multiply-adds (nvcc contracts a * b + c; the CPU
// build has -ffp-contract=off), and the libm behind double exp/log/expm1 and float expm1. Each
// difference is an ulp or so where it arises; the model's dynamics then carry it on, by a factor
// that depends on the model, the case and the replicate: Brock-Hommes at beta = 120 is chaotic (a
// one-ulp change of theta moves some float replicates' tangents by 7% of their scale after 60
// steps, and double ones by 1e-10), relaxed draws at tau = 0.1 are steep, the epidemics are tame.
// No one tolerance per dtype fits all of these, so the CPU measures each case's sensitivity itself.
//
// 1. Errors are scaled: a cell's error is |gpu - cpu| / scale, where scale is the largest |cpu| of
//    the cell's series (one output, one output's tangent lane, or one log_prob lane, over every
//    replicate and step), so that cells near zero (day 0, a tangent crossing zero, a sum that
//    cancels) need not agree to relative precision they cannot carry. A series that is zero on the
//    CPU must be exactly zero on the GPU. A replicate's error is the largest of its cells'.
// 2. The rounding probe: the CPU runs the case again with every entry of theta moved by
//    kProbeUlps ulps of the dtype (signs alternating). Replicate r's error between the two CPU
//    runs, probe(r), is how far rounding-sized differences travel through that replicate.
// 3. Replicate r agrees when its GPU error <= max(floor, kProbeMargin * probe(r)), with floor
//    1e-9 in float64 (rounding is 1e-16) and 1e-3 in float32 (rounding is 6e-8; sums of 1e3-1e5
//    terms in another order). A wrong answer (another draw, a lost tangent lane or pass, a missed
//    block, a wrong mode, float arithmetic in a float64 run) is off by far more in the replicates
//    that are not sensitive, and at most a few are.
// 4. In float32 a few replicates may depart for good, in ways one probe cannot foresee. A discrete
//    model that samples exactly (every mode but relaxed) decides a draw by u < p with p computed in
//    float: where the two backends' p differ by an ulp and u lies between them, the draw flips,
//    and that replicate's trajectory departs from there on (u lies within an ulp of p with
//    probability ~1e-8, and a replicate makes 1e4-1e5 draws and threshold comparisons). Steep
//    dynamics (relaxed draws at tau = 0.1, the chaotic Brock-Hommes) amplify an ulp by different
//    factors in different directions: a 4-ulp change of theta in another pattern than the probe's
//    moved one networkSir replicate (relaxed, tau = 0.1) past the floor where the 16-ulp probe had
//    not come near it. So a float32 case may have
//    up to max(1, R / 8) of its R replicates disagree; a bug disagrees in most. The float64 twin of
//    every case allows none, and catches what is wrong in one replicate only.
// 5. The CPU's outputs must be finite, and the GPU's too.
namespace {

constexpr double kProbeUlps = 16;
constexpr double kProbeMargin = 4;
constexpr int kWholeDevice = 1 << 20;  // more blocks per replicate than any device holds at once

double floor_of(Dtype dtype) { return dtype == Dtype::float64 ? 1e-9 : 1e-3; }

int allowed_disagreeing(const SimulationRequest& request) {
  return request.dtype == Dtype::float32 ? std::max(1, request.replicates / 8) : 0;
}

// The request with every entry of theta moved by kProbeUlps ulps of its dtype.
SimulationRequest probe_request(const SimulationRequest& request) {
  SimulationRequest probe = request;
  const double ulp = request.dtype == Dtype::float64 ? 0x1p-52 : 0x1p-23;
  for (std::size_t j = 0; j < probe.theta.size(); ++j) probe.theta[j] *= 1 + (j % 2 == 0 ? 1 : -1) * kProbeUlps * ulp;
  return probe;
}

std::string format(const char* pattern, double x) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, x);
  return text;
}

// One output array of a run: `per_replicate` cells per replicate, whose innermost `series` indices
// name the series (outputs; outputs x lanes; 1 + lanes).
struct ArrayView {
  const char* name;
  const std::vector<double>& reference;
  const std::vector<double>& other;
  std::size_t per_replicate;
  std::size_t series;
};

struct Comparison {
  std::vector<double> replicate_error;  // largest scaled error of each replicate
  std::vector<std::string> replicate_worst_cell;
  double worst = -1;
  bool sizes_match = true;
  std::size_t reference_non_finite = 0;
  std::size_t other_non_finite = 0;
};

void compare_array(const ArrayView& array, Comparison& result) {
  if (array.reference.size() != array.other.size()) {
    result.sizes_match = false;
    return;
  }
  if (array.reference.empty()) return;
  std::vector<double> scale(array.series, 0.0);
  for (std::size_t i = 0; i < array.reference.size(); ++i) {
    const double a = array.reference[i];
    if (std::isfinite(a)) scale[(i % array.per_replicate) % array.series] = std::max(scale[(i % array.per_replicate) % array.series], std::fabs(a));
  }
  for (std::size_t i = 0; i < array.reference.size(); ++i) {
    const double a = array.reference[i], b = array.other[i];
    const std::size_t r = i / array.per_replicate, s = (i % array.per_replicate) % array.series;
    if (!std::isfinite(a)) ++result.reference_non_finite;
    if (!std::isfinite(b)) ++result.other_non_finite;
    const double difference = std::fabs(a - b);
    double error = 0;
    if (!std::isfinite(a) || !std::isfinite(b)) {
      error = a == b ? 0 : HUGE_VAL;
    } else if (scale[s] > 0) {
      error = difference / scale[s];
    } else {
      error = difference == 0 ? 0 : HUGE_VAL;
    }
    result.worst = std::max(result.worst, error);
    if (error > result.replicate_error[r]) {
      result.replicate_error[r] = error;
      char where[200];
      std::snprintf(where, sizeof where, "%s[replicate %zu, cell %zu of %zu]: %.9g vs %.9g (series scale %.3g)", array.name,
                    r, i % array.per_replicate, array.per_replicate, a, b, scale[s]);
      result.replicate_worst_cell[r] = where;
    }
  }
}

Comparison compare(const SimulationRequest& request, const Outputs& reference, const Outputs& other) {
  const std::size_t steps = static_cast<std::size_t>(request.settings[kStepsSetting]);
  const std::size_t outputs = static_cast<std::size_t>(outputs_of(request));
  const std::size_t lanes = request.tangent_params.size();
  Comparison result;
  result.replicate_error.assign(static_cast<std::size_t>(request.replicates), 0.0);
  result.replicate_worst_cell.assign(static_cast<std::size_t>(request.replicates), "");
  compare_array(ArrayView{"values", reference.values, other.values, (steps + 1) * outputs, outputs}, result);
  compare_array(ArrayView{"tangents", reference.tangents, other.tangents, (steps + 1) * outputs * lanes, outputs * lanes}, result);
  compare_array(ArrayView{"log_prob", reference.log_prob, other.log_prob, 1 + lanes, 1 + lanes}, result);
  return result;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// AGENTGRAD_CUDA_BLOCKS_PER_REPLICATE set for the lifetime of this object (unset when n is 0).
class BlocksPerReplicate {
 public:
  explicit BlocksPerReplicate(int n) : set_(n > 0) {
    if (set_) setenv("AGENTGRAD_CUDA_BLOCKS_PER_REPLICATE", std::to_string(n).c_str(), 1);
  }
  ~BlocksPerReplicate() {
    if (set_) unsetenv("AGENTGRAD_CUDA_BLOCKS_PER_REPLICATE");
  }
  BlocksPerReplicate(const BlocksPerReplicate&) = delete;
  BlocksPerReplicate& operator=(const BlocksPerReplicate&) = delete;

 private:
  bool set_;
};

CaseResult start_result(const Case& c, const char* comparison) {
  CaseResult result;
  result.name = case_name(c);
  result.comparison = comparison;
  result.replicates = c.request.replicates;
  const int lanes = cuda_lanes_per_pass(c.request);
  result.passes = std::max(1, (static_cast<int>(c.request.tangent_params.size()) + lanes - 1) / lanes);
  return result;
}

// Replicate r disagrees when its error exceeds tolerance[r].
void judge(const Comparison& comparison, const std::vector<double>& tolerance, CaseResult& result) {
  result.max_error = std::max(0.0, comparison.worst);
  double worst_excess = 0;
  std::string worst_cell;
  for (std::size_t r = 0; r < comparison.replicate_error.size(); ++r) {
    const double e = comparison.replicate_error[r];
    result.tolerance_max = std::max(result.tolerance_max, tolerance[r]);
    if (e > tolerance[r]) {
      ++result.disagreeing;
      const double excess = tolerance[r] > 0 ? e / tolerance[r] : HUGE_VAL;
      if (excess >= worst_excess) {
        worst_excess = excess;
        worst_cell = comparison.replicate_worst_cell[r];
      }
    } else {
      result.max_error_agreeing = std::max(result.max_error_agreeing, e);
    }
  }
  if (!comparison.sizes_match) {
    result.detail = "output sizes differ";
  } else if (comparison.reference_non_finite > 0) {
    result.detail = std::to_string(comparison.reference_non_finite) + " non-finite CPU outputs";
  } else if (comparison.other_non_finite > 0) {
    result.detail = std::to_string(comparison.other_non_finite) + " non-finite outputs on the other side";
  } else {
    result.passed = result.disagreeing <= result.allowed;
    if (result.disagreeing > 0) result.detail = "worst " + worst_cell;
  }
}

}  // namespace

std::string case_name(const Case& c) {
  const SimulationRequest& r = c.request;
  const int lanes = cuda_lanes_per_pass(r);
  const int k = static_cast<int>(r.tangent_params.size());
  std::string name = (r.program ? "program " : "") + r.model + " " + dtype_name(r.dtype) + " " + mode_name(r.discrete.mode);
  if (r.discrete.mode == DiscreteMode::relaxed || r.discrete.mode == DiscreteMode::straight_through) {
    name += format(" tau=%g", r.discrete.temperature);
  }
  name += " K=" + std::to_string(k);
  if (!r.interventions.empty()) name += " (with " + std::to_string(r.interventions.size()) + " interventions)";
  if (k > lanes) name += " passes=" + std::to_string((k + lanes - 1) / lanes);
  if (!r.theta_table.empty()) name += " (a point per replicate)";
  name += " R=" + std::to_string(r.replicates) + " N=" + format("%.0f", r.settings[kAgentsSetting]) +
          " T=" + format("%.0f", r.settings[kStepsSetting]);
  if (c.group == "grid") {
    name += " blocks/replicate=" + (c.blocks_per_replicate >= kWholeDevice ? std::string("device")
                                    : c.blocks_per_replicate > 0      ? std::to_string(c.blocks_per_replicate)
                                                                      : std::string("auto"));
  }
  return name;
}

std::vector<Case> agreement_cases() {
  struct Mode {
    DiscreteMode mode;
    double tau;
  };
  const Mode modes[] = {{DiscreteMode::exact, 0.1},           {DiscreteMode::relaxed, 0.1},
                        {DiscreteMode::relaxed, 0.3},         {DiscreteMode::straight_through, 0.1},
                        {DiscreteMode::straight_through, 0.3}, {DiscreteMode::smoothed, 0.1},
                        {DiscreteMode::score, 0.1}};
  std::vector<Case> cases;
  for (const ModelInfo& model : registered_models()) {
    // 1000 agents: several blocks' worth of threads and a partial last tile; the fallback steps,
    // at least 4 (so that interventions have windows) and at most 60.
    const int steps = std::min(60, std::max(4, model.fallback_steps));
    for (const Dtype dtype : {Dtype::float32, Dtype::float64}) {
      for (const Mode& mode : modes) {
        for (int tangents = 0; tangents < 3; ++tangents) {
          Case c{"agreement", reference_request(model.name, 1000, steps, 16, 20261201), 0};
          c.request.dtype = dtype;
          c.request.discrete.mode = mode.mode;
          c.request.discrete.temperature = mode.tau;
          if (tangents == 1) tangents_on_parameters(c.request);
          if (tangents == 2) tangents_with_interventions(c.request);
          cases.push_back(std::move(c));
        }
      }
    }
  }
  return cases;
}

std::vector<Case> grid_cases() {
  std::vector<Case> cases;
  for (const char* model : {"sir", "networkSir"}) {
    // Many agents and few replicates: the CUDA backend spreads each replicate over many blocks.
    for (const Dtype dtype : {Dtype::float32, Dtype::float64}) {
      for (const DiscreteMode mode : {DiscreteMode::exact, DiscreteMode::straight_through, DiscreteMode::relaxed, DiscreteMode::score}) {
        Case c{"grid", reference_request(model, 200000, 60, 4, 20261202), 0};
        c.request.dtype = dtype;
        c.request.discrete.mode = mode;
        c.request.discrete.temperature = mode == DiscreteMode::relaxed ? 0.3 : 0.1;
        if (mode != DiscreteMode::exact) tangents_on_parameters(c.request);
        cases.push_back(std::move(c));
      }
    }
    // Forced spreads: 3 blocks per replicate, and the whole device per replicate (the backend caps
    // the request at the cooperative grid's capacity), so that each replicate is a launch of its
    // own and, on a large device, some blocks hold no agent (20,000 agents fill 79 blocks).
    for (const int blocks : {3, kWholeDevice}) {
      Case single{"grid", reference_request(model, 20000, 60, 3, 20261203), blocks};
      single.request.dtype = Dtype::float32;
      tangents_on_parameters(single.request);
      cases.push_back(single);
      Case exact{"grid", reference_request(model, 20000, 60, 3, 20261204), blocks};
      exact.request.dtype = Dtype::float64;
      exact.request.discrete.mode = DiscreteMode::exact;
      cases.push_back(std::move(exact));
    }
  }
  return cases;
}

std::vector<Case> program_cases() {
  struct Mode {
    DiscreteMode mode;
    double tau;
  };
  // relaxed and straight-through at tau 0.1 (whole 1/tau: the power form) and 0.3 (logit form)
  const Mode modes[] = {{DiscreteMode::exact, 0.1},           {DiscreteMode::relaxed, 0.1},
                        {DiscreteMode::relaxed, 0.3},         {DiscreteMode::straight_through, 0.1},
                        {DiscreteMode::straight_through, 0.3}, {DiscreteMode::smoothed, 0.1},
                        {DiscreteMode::score, 0.1}};
  struct Size {
    const char* name;
    int steps;
  };
  const Size programs[] = {{"sirTwin", 30}, {"networkTwin", 30}, {"kitchenSink", 12}};
  std::vector<Case> cases;
  for (const Size& program : programs) {
    // 1000 agents: some threads of a block run 4 agents, some 3; the tile runner a partial tile.
    for (const Dtype dtype : {Dtype::float32, Dtype::float64}) {
      for (const Mode& mode : modes) {
        for (int tangents = 0; tangents < 3; ++tangents) {
          Case c{"program", program_request(program.name, 1000, program.steps, 16, 20261205), 0};
          c.request.dtype = dtype;
          c.request.discrete.mode = mode.mode;
          c.request.discrete.temperature = mode.tau;
          if (tangents == 1) tangents_on_parameters(c.request);
          if (tangents == 2) tangents_with_interventions(c.request);
          cases.push_back(std::move(c));
        }
      }
    }
  }
  // Fewer agents than a block has threads (threads without agents), and one agent.
  for (const int agents : {100, 1}) {
    for (const DiscreteMode mode : {DiscreteMode::straight_through, DiscreteMode::score}) {
      Case c{"program", program_request("kitchenSink", agents, 12, 8, 20261206), 0};
      c.request.discrete.mode = mode;
      tangents_on_parameters(c.request);
      cases.push_back(std::move(c));
    }
  }
  // More replicates than one launch holds (the CUDA backend runs them in launches of two waves).
  for (const Dtype dtype : {Dtype::float32, Dtype::float64}) {
    Case c{"program", program_request("sirTwin", 64, 20, 1200, 20261207), 0};
    c.request.dtype = dtype;
    tangents_on_parameters(c.request);
    cases.push_back(std::move(c));
  }
  // A parameter point per replicate.
  {
    Case c{"program", program_request("kitchenSink", 300, 12, 12, 20261208), 0};
    tangents_on_parameters(c.request);
    const std::size_t parameters = c.request.theta.size();
    for (int r = 0; r < c.request.replicates; ++r) {
      for (std::size_t j = 0; j < parameters; ++j) c.request.theta_table.push_back(c.request.theta[j] * (1 + 0.01 * ((r + j) % 5)));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

CaseResult check_against_cuda(const Case& c) {
  CaseResult result = start_result(c, "cpu-cuda");
  result.tolerance = floor_of(c.request.dtype);
  result.allowed = allowed_disagreeing(c.request);
  try {
    SimulationRequest cpu_request = c.request;
    cpu_request.threads = 0;
    auto start = std::chrono::steady_clock::now();
    const Outputs cpu = run(cpu_request, Backend::cpu);
    result.cpu_seconds = seconds_since(start);
    const Outputs probe = run(probe_request(cpu_request), Backend::cpu);
    start = std::chrono::steady_clock::now();
    Outputs gpu;
    {
      const BlocksPerReplicate blocks(c.blocks_per_replicate);
      gpu = run(c.request, Backend::cuda);
    }
    result.gpu_seconds = seconds_since(start);
    const Comparison sensitivity = compare(c.request, cpu, probe);
    std::vector<double> tolerance;
    for (const double e : sensitivity.replicate_error) {
      result.probe_max_error = std::max(result.probe_max_error, e);
      tolerance.push_back(std::max(result.tolerance, kProbeMargin * e));
    }
    judge(compare(c.request, cpu, gpu), tolerance, result);
  } catch (const std::exception& error) {
    result.passed = false;
    result.detail = std::string("error: ") + error.what();
  }
  return result;
}

CaseResult check_cpu_threads(const Case& c) {
  CaseResult result = start_result(c, "cpu-threads");
  result.tolerance = 0;  // bitwise
  try {
    SimulationRequest one = c.request, two = c.request;
    one.threads = 1;
    two.threads = 2;
    auto start = std::chrono::steady_clock::now();
    const Outputs a = run(one, Backend::cpu);
    result.cpu_seconds = seconds_since(start);
    const Outputs b = run(two, Backend::cpu);
    judge(compare(c.request, a, b), std::vector<double>(static_cast<std::size_t>(c.request.replicates), 0.0), result);
    const auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
      return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
    };
    if (result.passed && !(same(a.values, b.values) && same(a.tangents, b.tangents) && same(a.log_prob, b.log_prob))) {
      result.passed = false;
      result.detail = "1 and 2 threads differ in the bits of a signed zero or NaN";
    }
  } catch (const std::exception& error) {
    result.passed = false;
    result.detail = std::string("error: ") + error.what();
  }
  return result;
}

std::string result_line(const CaseResult& r) {
  std::string line = r.passed ? "PASS  " : "FAIL  ";
  line += r.name + "  ";
  if (r.detail.rfind("error: ", 0) == 0) return line + r.detail;  // a run threw
  if (r.comparison == "cpu-interpreter") {
    line += "values and tangents bitwise equal";
    if (r.max_error > 0 || r.tolerance > 0) line += format(", log_prob max err %.2e", r.max_error) + format(" (tol %.0e)", r.tolerance);
  } else if (r.comparison == "cpu-pieces" || r.comparison == "cuda-pieces" || r.comparison == "cuda-devices") {
    line += r.passed ? "bitwise equal to the whole request"
                     : std::to_string(r.disagreeing) + "/" + std::to_string(r.replicates) + " replicates differ from the whole request, by up to " +
                           format("%.2e", r.max_error);
  } else if (r.comparison == "cpu-threads") {
    line += r.max_error == 0 ? "1 and 2 threads bitwise equal" : format("1 vs 2 threads: max err %.2e", r.max_error);
  } else {
    const std::string tolerance = r.tolerance_max > r.tolerance ? format(" (tol %.0e", r.tolerance) + format(" to %.1e by the probe)", r.tolerance_max)
                                                                : format(" (tol %.0e)", r.tolerance);
    if (r.disagreeing == 0) {
      line += format("max err %.2e", r.max_error) + tolerance;
    } else {
      line += format("max err %.2e", r.max_error_agreeing) + tolerance + "; " + std::to_string(r.disagreeing) + "/" +
              std::to_string(r.replicates) + " replicates differ, up to " + format("%.2e", r.max_error) +
              (r.allowed > 0 ? " (" + std::to_string(r.allowed) + " may, in float32: flipped draws, steep dynamics)" : "");
    }
  }
  if (!r.detail.empty() && (!r.passed || r.disagreeing > 0)) line += "\n      " + r.detail;
  return line;
}

}  // namespace ag::gpucheck
