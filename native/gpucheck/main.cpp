// agentgrad_gpu_check: the CUDA backend against the CPU backend as its reference, case by case, then
// a benchmark of both, and a JSON record in bench/results/ (docs/gpu-check.md). Without a CUDA
// device, or built without CUDA, only the CPU side runs (each case on 1 and on 2 threads) and no
// record is written. Exit status: 0 when every case passes, 1 otherwise, 2 on a usage error.
//
//   agentgrad_gpu_check [--commit HASH] [--results DIR] [--no-record] [--no-benchmark] [--only TEXT]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "../cpu/cpu_backend.hpp"
#include "agreement.hpp"
#include "benchmark.hpp"
#include "device_info.hpp"
#include "device_split.hpp"
#include "program_check.hpp"
#include "record.hpp"

namespace {

struct Options {
  std::string commit;
  std::string results = "bench/results";
  bool record = true;
  bool benchmark = true;
  std::string only;  // run only the cases whose name contains this, or whose group it is
};

bool selected(const Options& options, const ag::gpucheck::Case& c) {
  return options.only.empty() || c.group == options.only || ag::gpucheck::case_name(c).find(options.only) != std::string::npos;
}

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--commit" && has_value) {
      options.commit = argv[++i];
    } else if (arg == "--results" && has_value) {
      options.results = argv[++i];
    } else if (arg == "--only" && has_value) {
      options.only = argv[++i];
    } else if (arg == "--no-record") {
      options.record = false;
    } else if (arg == "--no-benchmark") {
      options.benchmark = false;
    } else {
      std::fprintf(stderr,
                   "usage: agentgrad_gpu_check [--commit HASH] [--results DIR] [--no-record] [--no-benchmark] [--only TEXT]\n");
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ag::gpucheck;
  Options options;
  if (!parse(argc, argv, options)) return 2;
  const auto start = std::chrono::steady_clock::now();
  Record record;
  record.date = iso_date_now();
  record.commit = options.commit.empty() ? git_commit() : options.commit;
  record.device = device_info();
  const DeviceInfo& device = record.device;
  record.devices.device_count = device.device_count;
  const auto keep = [&record](const Case& c, CaseResult result) {
    std::printf("%s\n", result_line(result).c_str());
    std::fflush(stdout);
    (result.passed ? record.passed : record.failed) += 1;
    record.cases.push_back(c);
    record.results.push_back(std::move(result));
  };

  std::printf("agentgrad GPU check, commit %s\n", record.commit.c_str());
  std::printf("CPU: %s, %d threads, %s kernels\n", cpu_model().c_str(), ag::cpu::default_threads(),
              ag::cpu::instruction_set());
  if (device.available) {
    std::printf("GPU: %s, compute capability %d.%d, %.1f GiB, %d multiprocessors, %.0f GB/s peak memory bandwidth, CUDA runtime %d, driver %d\n",
                device.name.c_str(), device.compute_major, device.compute_minor,
                static_cast<double>(device.total_memory) / 1073741824.0, device.multiprocessors, device.peak_bandwidth / 1e9,
                device.runtime_version, device.driver_version);
    if (device.device_count > 1) std::printf("%d CUDA devices visible (the line above is device 0's)\n", device.device_count);
  } else {
    std::printf("CUDA side skipped: %s\nRunning the CPU side: every case on 1 and on 2 threads (bitwise equal, finite).\n",
                device.reason.c_str());
  }

  std::vector<Case> cases = agreement_cases();
  for (Case& c : grid_cases()) cases.push_back(std::move(c));
  for (Case& c : program_cases()) cases.push_back(std::move(c));
  std::printf("\n## Agreement (%s; model programs also: CPU backend vs the per-agent interpreter on the CPU)\n",
              device.available ? "CPU backend vs CUDA backend" : "CPU backend, 1 vs 2 threads");
  for (const Case& c : cases) {
    if (!selected(options, c)) continue;
    std::vector<CaseResult> results;
    // A program also runs through the per-agent interpreter on the CPU (the CUDA backend's code).
    if (c.group == "program") {
      results.push_back(check_interpreter_on_cpu(c, Interpreter::cpu_team));
      // The block emulation runs a replicate's 16 threads to each barrier in turn: it takes the
      // cases of few replicates.
      if (c.request.replicates <= 16) results.push_back(check_interpreter_on_cpu(c, Interpreter::block));
    }
    results.push_back(device.available ? check_against_cuda(c) : check_cpu_threads(c));
    for (CaseResult& result : results) keep(c, std::move(result));
  }

  std::printf("\n## Split requests (pieces of the replicates against the whole request, bitwise: on the CPU%s)\n",
              device.device_count > 1 ? ", on device 0 from three host threads, and on every device"
              : device.available      ? " and on device 0 from three host threads"
                                      : "");
  for (const Case& c : split_cases()) {
    if (!selected(options, c)) continue;
    keep(c, check_pieces_on_cpu(c));
    if (device.available) keep(c, check_pieces_on_one_device(c));
    if (device.available && device.device_count > 1) keep(c, check_all_devices(c, device.device_count));
  }

  if (device.available && options.benchmark) {
    std::printf("\n## Benchmark (float32, straight-through, tau 0.1; GPU: median of 3 calls after a warm-up; CPU: faster of 2)\n");
    record.benchmark = run_benchmark(device);
    for (const BenchmarkRow& row : record.benchmark) {
      if (!row.error.empty()) record.failed += 1;
    }
    if (device.device_count > 1) {
      std::printf("\n## Devices (the same request on each device alone and on all %d at once; median of 3 calls after a warm-up)\n",
                  device.device_count);
      record.devices = time_devices(device.device_count);
      std::printf("%s\n", device_timing_line(record.devices).c_str());
      if (!record.devices.error.empty()) record.failed += 1;
    }
  }

  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("\n%d passed, %d failed in %.1f s\n", record.passed, record.failed, record.seconds);
  if (!device.available) {
    std::printf("CUDA side skipped: %s\n", device.reason.c_str());
  } else if (options.record) {
    try {
      std::printf("record: %s\n", write_record(record, options.results).c_str());
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s\n", error.what());
      return 1;
    }
  }
  return record.failed == 0 ? 0 : 1;
}
