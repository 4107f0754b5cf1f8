// The JSON record of a GPU check, written to bench/results/<date>.json beside the benchmark
// suite's records (docs/gpu-check.md describes the fields).
#pragma once

#include <string>
#include <vector>

#include "agreement.hpp"
#include "benchmark.hpp"
#include "device_info.hpp"
#include "device_split.hpp"

namespace ag::gpucheck {

struct Record {
  std::string date;    // ISO 8601 in UTC with milliseconds, as JavaScript's toISOString
  std::string commit;  // HEAD's short hash (+dirty), or "unknown"
  DeviceInfo device;
  std::vector<Case> cases;
  std::vector<CaseResult> results;  // one per case
  std::vector<BenchmarkRow> benchmark;
  DeviceTiming devices;  // timed only with two or more devices (and the benchmark on)
  int passed = 0;
  int failed = 0;
  double seconds = 0;
};

std::string iso_date_now();

// HEAD's short hash, with "+dirty" when tracked files other than bench/results differ from it (as
// bench/run.ts marks its records); "unknown" without git or outside a repository.
std::string git_commit();

std::string cpu_model();

// Writes the record to <directory>/<date with ':' and '.' replaced by '-'>.json; returns the path.
std::string write_record(const Record& record, const std::string& directory);

}  // namespace ag::gpucheck
