// The number of outputs a request records per time: its program's, or its registered model's.
#pragma once

#include "../models/registry.hpp"
#include "../models/simulation.hpp"
#include "program.hpp"

namespace ag {

inline int request_output_count(const SimulationRequest& request) {
  if (request.program) return static_cast<int>(request.program->outputs.size());
  int count = 0;
  visit_model(request.model.c_str(), [&](auto model_tag) { count = output_count<typename decltype(model_tag)::type>(); });
  return count;
}

}  // namespace ag
