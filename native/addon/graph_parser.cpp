#include "graph_parser.hpp"

#include <string>

#include "argument_error.hpp"
#include "js_values.hpp"

namespace ag::addon {
namespace {

std::vector<int32_t> int32_array(const Napi::Object& graph, const char* key) {
  const Napi::Value value = graph.Get(key);
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw_type_error(std::string("graph.") + key + " must be an Int32Array, got " + describe(value));
  }
  const Napi::Int32Array array = value.As<Napi::Int32Array>();
  return std::vector<int32_t>(array.Data(), array.Data() + array.ElementLength());
}

void check_offsets(const std::vector<int32_t>& offsets, std::size_t edges, int64_t agents) {
  if (static_cast<int64_t>(offsets.size()) != agents + 1) {
    throw_range_error("graph.offsets must hold agents + 1 = " + std::to_string(agents + 1) + " entries, got " +
                      std::to_string(offsets.size()));
  }
  if (offsets[0] != 0) throw_range_error("graph.offsets[0] must be 0, got " + std::to_string(offsets[0]));
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) {
      throw_range_error("graph.offsets[" + std::to_string(i) + "] must be >= graph.offsets[" + std::to_string(i - 1) +
                        "] = " + std::to_string(offsets[i - 1]) + ", got " + std::to_string(offsets[i]));
    }
  }
  if (static_cast<std::size_t>(offsets.back()) != edges) {
    throw_range_error("graph.offsets[" + std::to_string(agents) + "] must equal graph.neighbours.length = " +
                      std::to_string(edges) + ", got " + std::to_string(offsets.back()));
  }
}

void check_neighbours(const std::vector<int32_t>& neighbours, int64_t agents) {
  for (std::size_t e = 0; e < neighbours.size(); ++e) {
    if (neighbours[e] < 0 || neighbours[e] >= agents) {
      throw_range_error("graph.neighbours[" + std::to_string(e) + "] must be an agent index in [0, " +
                        std::to_string(agents - 1) + "], got " + std::to_string(neighbours[e]));
    }
  }
}

}  // namespace

ParsedGraph parse_graph(const Napi::Value& value, int64_t agents) {
  const Napi::Object graph = object_value(value, "graph");
  ParsedGraph parsed{int32_array(graph, "offsets"), int32_array(graph, "neighbours")};
  check_offsets(parsed.offsets, parsed.neighbours.size(), agents);
  check_neighbours(parsed.neighbours, agents);
  return parsed;
}

}  // namespace ag::addon
