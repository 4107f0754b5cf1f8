#include "benchmark.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "../cpu/cpu_backend.hpp"
#include "requests.hpp"

namespace ag::gpucheck {
namespace {

constexpr int kReplicates = 1000;
constexpr int kAgents = 1000;
constexpr int kSteps = 100;

double median_of_three(double a, double b, double c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); }

BenchmarkRow benchmark_row(const ModelInfo& model, bool with_tangents, const DeviceInfo& device) {
  SimulationRequest request = reference_request(model.name, kAgents, kSteps, kReplicates, 1);
  if (with_tangents) tangents_on_parameters(request);
  BenchmarkRow row;
  row.model = model.name;
  row.dtype = dtype_name(request.dtype);
  row.mode = mode_name(request.discrete.mode);
  row.tangents = static_cast<int>(request.tangent_params.size());
  row.replicates = request.replicates;
  row.agents = static_cast<int>(request.settings[kAgentsSetting]);
  row.steps = static_cast<int>(request.settings[kStepsSetting]);
  row.bytes_per_agent_step = 2.0 * model.agent_fields * (1 + row.tangents) * sizeof(float);
  const double work = agent_steps(request);
  try {
    timed_run(request, Backend::cuda);  // warm-up: context, module load, first allocations
    row.gpu_seconds = median_of_three(timed_run(request, Backend::cuda), timed_run(request, Backend::cuda),
                                      timed_run(request, Backend::cuda));
    row.gpu_agent_steps_per_second = work / row.gpu_seconds;
    if (row.bytes_per_agent_step > 0 && device.peak_bandwidth > 0) {
      row.roofline_fraction = row.gpu_agent_steps_per_second * row.bytes_per_agent_step / device.peak_bandwidth;
    }
    row.cpu_threads = cpu::default_threads();
    row.cpu_seconds = std::min(timed_run(request, Backend::cpu), timed_run(request, Backend::cpu));
    row.cpu_agent_steps_per_second = work / row.cpu_seconds;
    row.speedup = row.gpu_agent_steps_per_second / row.cpu_agent_steps_per_second;
  } catch (const std::exception& error) {
    row.error = error.what();
  }
  return row;
}

}  // namespace

std::vector<BenchmarkRow> run_benchmark(const DeviceInfo& device) {
  std::vector<BenchmarkRow> rows;
  for (const ModelInfo& model : registered_models()) {
    for (const bool with_tangents : {false, true}) {
      rows.push_back(benchmark_row(model, with_tangents, device));
      std::printf("%s\n", benchmark_line(rows.back()).c_str());
      std::fflush(stdout);
    }
  }
  return rows;
}

std::string benchmark_line(const BenchmarkRow& row) {
  char line[400];
  if (!row.error.empty()) {
    std::snprintf(line, sizeof line, "%-16s K=%-2d  error: %s", row.model.c_str(), row.tangents, row.error.c_str());
    return line;
  }
  char roofline[32] = "     -";
  if (row.roofline_fraction >= 0) std::snprintf(roofline, sizeof roofline, "%5.1f%%", 100 * row.roofline_fraction);
  std::snprintf(line, sizeof line, "%-16s K=%-2d %dx%dx%d  GPU %9.3e agent-steps/s (%7.2f ms, %s of bandwidth roofline)  CPU %9.3e (%d threads)  %6.1fx",
                row.model.c_str(), row.tangents, row.replicates, row.agents, row.steps, row.gpu_agent_steps_per_second,
                1e3 * row.gpu_seconds, roofline, row.cpu_agent_steps_per_second, row.cpu_threads, row.speedup);
  return line;
}

}  // namespace ag::gpucheck
