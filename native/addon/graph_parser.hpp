// The contact graph of a request: { offsets: Int32Array, neighbours: Int32Array } in CSR form,
// checked completely so that no kernel can read outside it.
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

namespace ag::addon {

struct ParsedGraph {
  std::vector<int32_t> offsets;
  std::vector<int32_t> neighbours;
};

// `agents` is the model's agent count, which the graph's node count must equal.
ParsedGraph parse_graph(const Napi::Value& value, int64_t agents);

}  // namespace ag::addon
