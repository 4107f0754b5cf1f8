#include "record.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "../cpu/cpu_backend.hpp"
#include "requests.hpp"

namespace ag::gpucheck {
namespace {

// A small JSON writer: objects and arrays opened and closed in order, two-space indentation.
class Json {
 public:
  Json& open(char bracket) {
    out_ << bracket;
    first_.push_back(true);
    return *this;
  }
  Json& close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ << bracket;
    return *this;
  }
  Json& key(const std::string& name) {
    item();
    string(name);
    out_ << ": ";
    return *this;
  }
  Json& item() {  // before an array element
    if (!first_.back()) out_ << ',';
    first_.back() = false;
    newline();
    return *this;
  }
  Json& string(const std::string& text) {
    out_ << '"';
    for (const char c : text) {
      if (c == '"' || c == '\\') {
        out_ << '\\' << c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out_ << escaped;
      } else {
        out_ << c;
      }
    }
    out_ << '"';
    return *this;
  }
  Json& number(double x) {
    if (!std::isfinite(x)) {
      out_ << "null";
    } else {
      char text[32];
      std::snprintf(text, sizeof text, "%.6g", x);
      out_ << text;
    }
    return *this;
  }
  Json& integer(long long x) {
    out_ << x;
    return *this;
  }
  Json& boolean(bool x) {
    out_ << (x ? "true" : "false");
    return *this;
  }
  Json& null() {
    out_ << "null";
    return *this;
  }
  std::string text() const { return out_.str() + "\n"; }

 private:
  void newline() { out_ << '\n' << std::string(2 * first_.size(), ' '); }
  std::ostringstream out_;
  std::vector<bool> first_;
};

std::string command_output(const char* command) {
  FILE* pipe = popen(command, "r");
  if (pipe == nullptr) return "";
  std::string text;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
  const int status = pclose(pipe);
  if (status != 0) return "";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

double memory_gib() {
  return std::round(static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE)) /
                    1073741824.0);
}

void write_machine(Json& json, const DeviceInfo& device) {
  json.key("machine").open('{');
  json.key("cpu").string(cpu_model());
  json.key("cores").integer(std::thread::hardware_concurrency());
  json.key("memoryGiB").number(memory_gib());
  json.key("cpuInstructionSet").string(cpu::instruction_set());
  json.key("device").string(device.name);
  json.key("computeCapability").string(std::to_string(device.compute_major) + "." + std::to_string(device.compute_minor));
  json.key("deviceMemoryGiB").number(std::round(10 * static_cast<double>(device.total_memory) / 1073741824.0) / 10);
  json.key("multiprocessors").integer(device.multiprocessors);
  json.key("memoryClockKHz").integer(device.memory_clock_khz);
  json.key("memoryBusBits").integer(device.memory_bus_bits);
  json.key("peakBandwidthGBps").number(device.peak_bandwidth / 1e9);
  json.key("cooperativeLaunch").boolean(device.cooperative_launch);
  json.key("cudaRuntime").integer(device.runtime_version);
  json.key("cudaDriver").integer(device.driver_version);
  json.key("deviceCount").integer(device.device_count);
  json.close('}');
}

void write_case(Json& json, const Case& c, const CaseResult& r) {
  const SimulationRequest& q = c.request;
  json.item().open('{');
  json.key("name").string(r.name);
  json.key("group").string(c.group);
  json.key("comparison").string(r.comparison);
  json.key("model").string(q.model);
  json.key("dtype").string(dtype_name(q.dtype));
  json.key("mode").string(mode_name(q.discrete.mode));
  json.key("tau").number(q.discrete.temperature);
  json.key("tangents").integer(static_cast<long long>(q.tangent_params.size()));
  json.key("interventions").integer(static_cast<long long>(q.interventions.size()));
  json.key("passes").integer(r.passes);
  json.key("replicates").integer(q.replicates);
  json.key("agents").integer(static_cast<long long>(q.settings[kAgentsSetting]));
  json.key("steps").integer(static_cast<long long>(q.settings[kStepsSetting]));
  json.key("blocksPerReplicate");
  if (c.blocks_per_replicate > 0) json.integer(c.blocks_per_replicate); else json.string("auto");
  json.key("passed").boolean(r.passed);
  json.key("maxError").number(r.max_error);
  json.key("maxErrorAgreeing").number(r.max_error_agreeing);
  json.key("tolerance").number(r.tolerance);
  json.key("toleranceMax").number(r.tolerance_max);
  json.key("probeMaxError").number(r.probe_max_error);
  json.key("disagreeingReplicates").integer(r.disagreeing);
  json.key("allowedDisagreeing").integer(r.allowed);
  json.key("cpuSeconds").number(r.cpu_seconds);
  json.key("gpuSeconds").number(r.gpu_seconds);
  if (!r.detail.empty()) json.key("detail").string(r.detail);
  json.close('}');
}

void write_row(Json& json, const BenchmarkRow& row) {
  json.item().open('{');
  json.key("model").string(row.model);
  json.key("dtype").string(row.dtype);
  json.key("mode").string(row.mode);
  json.key("tangents").integer(row.tangents);
  json.key("replicates").integer(row.replicates);
  json.key("agents").integer(row.agents);
  json.key("steps").integer(row.steps);
  if (!row.error.empty()) {
    json.key("error").string(row.error);
  } else {
    json.key("gpuSeconds").number(row.gpu_seconds);
    json.key("gpuAgentStepsPerSecond").number(row.gpu_agent_steps_per_second);
    json.key("bytesPerAgentStep").number(row.bytes_per_agent_step);
    json.key("rooflineFraction");
    if (row.roofline_fraction >= 0) json.number(row.roofline_fraction); else json.null();
    json.key("cpuSeconds").number(row.cpu_seconds);
    json.key("cpuAgentStepsPerSecond").number(row.cpu_agent_steps_per_second);
    json.key("cpuThreads").integer(row.cpu_threads);
    json.key("speedup").number(row.speedup);
  }
  json.close('}');
}

void write_device_timing(Json& json, const DeviceTiming& timing) {
  json.key("devices").open('{');
  json.key("count").integer(timing.device_count);
  if (!timing.request.empty()) {
    json.key("request").string(timing.request);
    if (!timing.error.empty()) {
      json.key("error").string(timing.error);
    } else {
      json.key("deviceSeconds").open('[');
      for (const double seconds : timing.device_seconds) json.item().number(seconds);
      json.close(']');
      json.key("allSeconds").number(timing.all_seconds);
      json.key("speedup").number(timing.speedup);
    }
  }
  json.close('}');
}

}  // namespace

std::string iso_date_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const long long millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char date[48];
  std::snprintf(date, sizeof date, "%s.%03lldZ", text, millis);
  return date;
}

std::string git_commit() {
  const std::string head = command_output("git rev-parse --short HEAD 2>/dev/null");
  if (head.empty()) return "unknown";
  const std::string changed =
      command_output("git status --porcelain --untracked-files=no -- . ':(exclude)bench/results' 2>/dev/null");
  return changed.empty() ? head : head + "+dirty";
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

std::string write_record(const Record& record, const std::string& directory) {
  Json json;
  json.open('{');
  json.key("date").string(record.date);
  json.key("commit").string(record.commit);
  write_machine(json, record.device);
  json.key("gpuCheck").open('{');
  json.key("agreement").open('[');
  for (std::size_t i = 0; i < record.results.size(); ++i) write_case(json, record.cases[i], record.results[i]);
  json.close(']');
  json.key("benchmark").open('[');
  for (const BenchmarkRow& row : record.benchmark) write_row(json, row);
  json.close(']');
  write_device_timing(json, record.devices);
  json.key("passed").integer(record.passed);
  json.key("failed").integer(record.failed);
  json.key("seconds").number(record.seconds);
  json.close('}');
  json.close('}');

  std::string name = record.date;
  for (char& c : name) {
    if (c == ':' || c == '.') c = '-';
  }
  const std::string path = directory + "/" + name + ".json";
  std::ofstream file(path);
  file << json.text();
  if (!file) throw std::runtime_error("cannot write " + path);
  return path;
}

}  // namespace ag::gpucheck
