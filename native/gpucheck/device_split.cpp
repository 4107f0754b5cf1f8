#include "device_split.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>

#include "../cpu/cpu_backend.hpp"
#include "../models/request_pieces.hpp"
#include "programs.hpp"
#include "requests.hpp"

namespace ag::gpucheck {
namespace {

constexpr int kPieces = 3;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median_of_three(double a, double b, double c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); }

// A point per replicate near the reference: entries scaled down by up to 8%, which keeps every
// constraint (real, positive, unit) and every intervention factor's product inside it.
void point_per_replicate(SimulationRequest& request) {
  const std::size_t entries = request.theta.size();
  request.theta_table.clear();
  for (int r = 0; r < request.replicates; ++r) {
    for (std::size_t j = 0; j < entries; ++j) request.theta_table.push_back(request.theta[j] * (1 - 0.02 * ((r + j) % 5)));
  }
}

// Marks the replicates whose cells of one output array differ in any bit from the whole run's, and
// returns the largest absolute difference among them (infinite where a NaN differs).
double mark_differing(const std::vector<double>& whole, const std::vector<double>& pieces, std::vector<bool>& differs) {
  if (whole.size() != pieces.size()) {
    differs.assign(differs.size(), true);
    return HUGE_VAL;
  }
  const std::size_t per_replicate = whole.size() / differs.size();
  double largest = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (std::memcmp(&whole[i], &pieces[i], sizeof(double)) == 0) continue;
    differs[i / per_replicate] = true;
    const double difference = std::fabs(whole[i] - pieces[i]);
    largest = std::max(largest, std::isnan(difference) ? HUGE_VAL : difference);
  }
  return largest;
}

// Passes when the two runs agree in every bit; else counts the replicates that differ and names the
// first array and replicate.
void judge_bitwise(const Outputs& whole, const Outputs& pieces, int replicates, CaseResult& result) {
  const struct {
    const char* name;
    const std::vector<double>& whole;
    const std::vector<double>& pieces;
  } arrays[] = {{"values", whole.values, pieces.values},
                {"tangents", whole.tangents, pieces.tangents},
                {"log_prob", whole.log_prob, pieces.log_prob}};
  std::vector<bool> differs(static_cast<std::size_t>(replicates), false);
  for (const auto& array : arrays) {
    std::vector<bool> here(differs.size(), false);
    result.max_error = std::max(result.max_error, mark_differing(array.whole, array.pieces, here));
    const auto first = std::find(here.begin(), here.end(), true);
    if (first != here.end() && result.detail.empty()) {
      result.detail = array.name + std::string(" differ, first in replicate ") + std::to_string(first - here.begin());
    }
    for (std::size_t r = 0; r < here.size(); ++r) differs[r] = differs[r] || here[r];
  }
  result.disagreeing = static_cast<int>(std::count(differs.begin(), differs.end(), true));
  result.passed = result.disagreeing == 0;
}

CaseResult start_result(const Case& c, const char* comparison, const std::string& how) {
  CaseResult result;
  result.name = case_name(c) + " [" + how + "]";
  result.comparison = comparison;
  result.replicates = c.request.replicates;
  const int lanes = cuda_lanes_per_pass(c.request);
  result.passes = std::max(1, (static_cast<int>(c.request.tangent_params.size()) + lanes - 1) / lanes);
  return result;
}

template <class T>
Outputs run_pieces_on_cpu_typed(const SimulationRequest& request, int pieces) {
  const OutputLayout layout = output_layout(request, outputs_of(request));
  const std::size_t replicates = static_cast<std::size_t>(request.replicates);
  std::vector<T> values(replicates * layout.values_per_replicate());
  std::vector<T> tangents(replicates * layout.tangents_per_replicate());
  std::vector<T> log_prob(request.discrete.mode == DiscreteMode::score ? replicates * layout.log_prob_per_replicate() : 0);
  const SimulationBuffers whole{values.data(), tangents.empty() ? nullptr : tangents.data(), log_prob.empty() ? nullptr : log_prob.data()};
  for (const ReplicateRange& range : split_replicates(request.replicates, pieces)) {
    cpu::simulate(request_of_piece(request, range), buffers_of_piece(whole, layout, sizeof(T), range), nullptr);
  }
  const auto widen = [](const std::vector<T>& from) { return std::vector<double>(from.begin(), from.end()); };
  return Outputs{widen(values), widen(tangents), widen(log_prob)};
}

Outputs run_pieces_on_cpu(const SimulationRequest& request, int pieces) {
  return request.dtype == Dtype::float64 ? run_pieces_on_cpu_typed<double>(request, pieces)
                                         : run_pieces_on_cpu_typed<float>(request, pieces);
}

SimulationRequest on_devices(const SimulationRequest& request, std::vector<int32_t> devices) {
  SimulationRequest on = request;
  on.devices = std::move(devices);
  on.all_devices = false;
  return on;
}

SimulationRequest on_all_devices(const SimulationRequest& request) {
  SimulationRequest on = request;
  on.devices.clear();
  on.all_devices = true;
  return on;
}

// Runs `whole`, then `pieces` (timed into result.*seconds), and compares the two bitwise.
template <class RunWhole, class RunPieces>
CaseResult compare_pieces(const Case& c, CaseResult result, double CaseResult::*seconds, RunWhole run_whole, RunPieces run_pieces) {
  try {
    const Outputs whole = run_whole();
    const auto start = std::chrono::steady_clock::now();
    const Outputs pieces = run_pieces();
    result.*seconds = seconds_since(start);
    judge_bitwise(whole, pieces, c.request.replicates, result);
  } catch (const std::exception& error) {
    result.passed = false;
    result.detail = std::string("error: ") + error.what();
  }
  return result;
}

// The whole request on device 0 against `split`.
CaseResult compare_on_cuda(const Case& c, const SimulationRequest& split, CaseResult result) {
  return compare_pieces(
      c, std::move(result), &CaseResult::gpu_seconds, [&] { return run(on_devices(c.request, {0}), Backend::cuda); },
      [&] { return run(split, Backend::cuda); });
}

}  // namespace

std::vector<Case> split_cases() {
  std::vector<Case> cases;
  {
    Case c{"devices", reference_request("sir", 1000, 60, 10, 20261210), 0};
    tangents_on_parameters(c.request);
    cases.push_back(std::move(c));
  }
  {
    Case c{"devices", reference_request("volatility", 1000, 40, 7, 20261211), 0};
    c.request.dtype = Dtype::float64;
    c.request.discrete.mode = DiscreteMode::score;
    tangents_on_parameters(c.request);
    point_per_replicate(c.request);
    cases.push_back(std::move(c));
  }
  {
    Case c{"devices", reference_request("sir", 200000, 30, 4, 20261212), 0};
    tangents_on_parameters(c.request);
    cases.push_back(std::move(c));
  }
  {
    Case c{"devices", program_request("kitchenSink", 300, 12, 11, 20261213), 0};
    c.request.discrete.mode = DiscreteMode::score;
    tangents_on_parameters(c.request);
    point_per_replicate(c.request);
    cases.push_back(std::move(c));
  }
  return cases;
}

CaseResult check_pieces_on_cpu(const Case& c) {
  return compare_pieces(
      c, start_result(c, "cpu-pieces", std::to_string(kPieces) + " pieces on the CPU"), &CaseResult::cpu_seconds,
      [&] { return run(c.request, Backend::cpu); }, [&] { return run_pieces_on_cpu(c.request, kPieces); });
}

CaseResult check_pieces_on_one_device(const Case& c) {
  const std::vector<int32_t> device_zero_thrice(kPieces, 0);
  return compare_on_cuda(c, on_devices(c.request, device_zero_thrice),
                         start_result(c, "cuda-pieces", std::to_string(kPieces) + " pieces on device 0, one host thread each"));
}

CaseResult check_all_devices(const Case& c, int device_count) {
  return compare_on_cuda(c, on_all_devices(c.request),
                         start_result(c, "cuda-devices", "devices 0 to " + std::to_string(device_count - 1) + " vs device 0"));
}

DeviceTiming time_devices(int device_count) {
  DeviceTiming timing;
  timing.device_count = device_count;
  SimulationRequest request = reference_request("volatility", 1000, 100, 4000, 1);
  tangents_on_parameters(request);
  timing.request = "volatility float32 straight-through K=" + std::to_string(request.tangent_params.size()) + " R=4000 N=1000 T=100";
  const auto median_seconds = [](const SimulationRequest& on) {
    return median_of_three(timed_run(on, Backend::cuda), timed_run(on, Backend::cuda), timed_run(on, Backend::cuda));
  };
  try {
    const SimulationRequest all = on_all_devices(request);
    timed_run(all, Backend::cuda);  // warm-up: every device's context, module load, first allocations
    for (int d = 0; d < device_count; ++d) timing.device_seconds.push_back(median_seconds(on_devices(request, {d})));
    timing.all_seconds = median_seconds(all);
    timing.speedup = timing.device_seconds.front() / timing.all_seconds;
  } catch (const std::exception& error) {
    timing.error = error.what();
  }
  return timing;
}

std::string device_timing_line(const DeviceTiming& timing) {
  if (!timing.error.empty()) return "FAIL  " + timing.request + " on " + std::to_string(timing.device_count) + " devices: " + timing.error;
  std::string line = timing.request + ":";
  char text[64];
  for (std::size_t d = 0; d < timing.device_seconds.size(); ++d) {
    std::snprintf(text, sizeof text, " device %zu %.3f s,", d, timing.device_seconds[d]);
    line += text;
  }
  std::snprintf(text, sizeof text, " all %d at once %.3f s (%.2fx device 0)", timing.device_count, timing.all_seconds, timing.speedup);
  return line + text;
}

}  // namespace ag::gpucheck
