// Turns the JS request object of simulate() into a SimulationRequest, validating every field
// against the model's metadata before anything is allocated.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>

#include "../models/simulation.hpp"

namespace ag::addon {

enum class Backend { cpu, cuda };

struct ParsedRequest {
  SimulationRequest simulation;
  std::string backend_requested;  // 'auto' | 'cpu' | 'cuda'
  double max_bytes = 0;            // 0: the default cap
};

ParsedRequest parse_request(const Napi::Object& request);

// Output element counts of a request.
struct OutputCounts {
  std::size_t values;
  std::size_t tangents;
  std::size_t log_prob;
  std::size_t element_bytes;
  std::size_t total_bytes() const { return (values + tangents + log_prob) * element_bytes; }
};
OutputCounts output_counts(const SimulationRequest& request);

}  // namespace ag::addon
