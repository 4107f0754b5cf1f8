#include "request_parser.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "argument_error.hpp"
#include "graph_parser.hpp"
#include "intervention_parser.hpp"
#include "js_values.hpp"

namespace ag::addon {
namespace {

constexpr int64_t kMaxReplicates = 2147483647;
constexpr int64_t kMaxThreads = 1024;

std::string model_names() {
  std::string names;
  for_each_model([&](auto tag) {
    if (!names.empty()) names += ", ";
    names += std::string("'") + decltype(tag)::type::kName + "'";
  });
  return names;
}

// The name and constraint of entry j of a point: a model parameter, or an intervention factor.
template <class Model>
std::string point_entry_name(int j) {
  constexpr int count = parameter_count<Model>();
  return j < count ? std::string(Model::kParameters[j].name) : "interventions[" + std::to_string(j - count) + "].factor";
}
template <class Model>
Constraint point_entry_constraint(int j) {
  return j < parameter_count<Model>() ? Model::kParameters[j].constraint : Constraint::positive;
}

template <class Model>
std::vector<double> parse_theta(const Napi::Value& value, const std::vector<Intervention>& interventions) {
  const int count = parameter_count<Model>() + static_cast<int>(interventions.size());
  const std::string model = Model::kName;
  const std::string expected = std::to_string(count) + " numbers for model '" + model + "'" +
                               (interventions.empty() ? "" : " (its parameters, then one factor per intervention)");
  if (!value.IsArray()) throw_type_error("theta must be an array of " + expected);
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() != static_cast<uint32_t>(count)) {
    throw_range_error("theta must hold " + expected + ", got " + std::to_string(array.Length()));
  }
  std::vector<double> theta(count);
  for (int j = 0; j < count; ++j) {
    const Constraint constraint = point_entry_constraint<Model>(j);
    const std::string name = "theta." + point_entry_name<Model>(j);
    const Napi::Value element = array.Get(static_cast<uint32_t>(j));
    if (!element.IsNumber()) throw_type_error(name + " must be " + constraint_range(constraint) + ", got " + describe(element));
    theta[j] = element.As<Napi::Number>().DoubleValue();
    if (!satisfies(constraint, theta[j])) {
      throw_range_error(name + " must be " + constraint_range(constraint) + " (constraint '" +
                        constraint_name(constraint) + "'), got " + describe(element));
    }
  }
  check_scaled_parameters(theta.data(), interventions, Model::kParameters, parameter_count<Model>(), "theta");
  return theta;
}

// One parameter point per replicate, row-major [replicates][parameters + interventions].
template <class Model>
std::vector<double> parse_theta_table(const Napi::Value& value, int32_t replicates,
                                      const std::vector<Intervention>& interventions) {
  if (value.IsUndefined()) return {};
  const int count = parameter_count<Model>() + static_cast<int>(interventions.size());
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw_type_error("thetaTable must be a Float64Array of replicates x parameters");
  }
  const Napi::Float64Array table = value.As<Napi::Float64Array>();
  const std::size_t expected = static_cast<std::size_t>(replicates) * count;
  if (table.ElementLength() != expected) {
    throw_range_error("thetaTable must hold replicates x " + std::to_string(count) + " = " + std::to_string(expected) +
                      " numbers, got " + std::to_string(table.ElementLength()));
  }
  std::vector<double> rows(table.Data(), table.Data() + expected);
  for (std::size_t i = 0; i < expected; ++i) {
    const int j = static_cast<int>(i % count);
    const Constraint constraint = point_entry_constraint<Model>(j);
    if (!satisfies(constraint, rows[i])) {
      throw_range_error("thetaTable[" + std::to_string(i / count) + "]." + point_entry_name<Model>(j) + " must be " +
                        constraint_range(constraint) + ", got " + format_number(rows[i]));
    }
  }
  for (int32_t r = 0; r < replicates; ++r) {
    check_scaled_parameters(rows.data() + static_cast<std::size_t>(r) * count, interventions, Model::kParameters,
                            parameter_count<Model>(), "thetaTable[" + std::to_string(r) + "]");
  }
  return rows;
}

template <class Model>
std::vector<double> parse_settings(const Napi::Value& value) {
  constexpr int count = setting_count<Model>();
  const Napi::Object given = value.IsUndefined() ? Napi::Object::New(value.Env()) : object_value(value, "settings");
  std::vector<double> settings(count);
  for (int s = 0; s < count; ++s) {
    const SettingSpec& spec = Model::kSettings[s];
    const Napi::Value element = given.Get(spec.name);
    if (element.IsUndefined()) {
      settings[s] = spec.fallback;
      continue;
    }
    if (spec.integer) {
      settings[s] = static_cast<double>(integer_in(element, spec.name, static_cast<int64_t>(spec.min), static_cast<int64_t>(spec.max)));
    } else {
      const double x = finite_number(element, spec.name);
      if (x < spec.min || x > spec.max) {
        throw_range_error(std::string(spec.name) + " must be a number in [" + format_number(spec.min) + ", " +
                          format_number(spec.max) + "], got " + describe(element));
      }
      settings[s] = x;
    }
  }
  const Napi::Array keys = given.GetPropertyNames();
  for (uint32_t k = 0; k < keys.Length(); ++k) {
    const std::string key = keys.Get(k).As<Napi::String>().Utf8Value();
    bool known = false;
    for (int s = 0; s < count; ++s) known = known || key == Model::kSettings[s].name;
    if (!known) throw_type_error("'" + key + "' is not a setting of model '" + std::string(Model::kName) + "'");
  }
  return settings;
}

template <class Model>
std::vector<int32_t> parse_tangents(const Napi::Value& value, int interventions) {
  const int count = parameter_count<Model>() + interventions;
  if (value.IsUndefined()) return {};
  if (!value.IsArray()) throw_type_error("tangents must be an array of parameter indices");
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() > static_cast<uint32_t>(kMaxTangents)) {
    throw_range_error("tangents must name at most " + std::to_string(kMaxTangents) + " parameters, got " +
                      std::to_string(array.Length()));
  }
  std::vector<int32_t> lanes;
  std::vector<bool> seen(count, false);
  for (uint32_t k = 0; k < array.Length(); ++k) {
    const int64_t j = integer_in(array.Get(k), "tangents[" + std::to_string(k) + "]", 0, count - 1);
    if (seen[j]) throw_range_error("tangents names parameter '" + point_entry_name<Model>(static_cast<int>(j)) + "' twice");
    seen[j] = true;
    lanes.push_back(static_cast<int32_t>(j));
  }
  return lanes;
}

// Models with kUsesGraph need a graph over exactly their agents; the others take none.
template <class Model>
void parse_model_graph(const Napi::Value& value, SimulationRequest& sim) {
  if constexpr (uses_graph<Model>()) {
    if (value.IsUndefined()) throw_type_error(std::string("model '") + Model::kName + "' needs a graph { offsets, neighbours }");
    ParsedGraph graph = parse_graph(value, static_cast<int64_t>(sim.settings[kAgentsSetting]));
    sim.graph_offsets = std::move(graph.offsets);
    sim.graph_neighbours = std::move(graph.neighbours);
  } else if (!value.IsUndefined()) {
    throw_type_error(std::string("model '") + Model::kName + "' takes no graph");
  }
}

DiscreteOptions parse_discrete(const Napi::Value& value) {
  DiscreteOptions options{DiscreteMode::straight_through, 0.1, 5.0};
  if (value.IsUndefined()) return options;
  const Napi::Object object = object_value(value, "discrete");
  const Napi::Value mode = object.Get("mode");
  if (!mode.IsUndefined()) {
    const std::string name = string_value(mode, "discrete.mode");
    if (name == "exact") options.mode = DiscreteMode::exact;
    else if (name == "relaxed") options.mode = DiscreteMode::relaxed;
    else if (name == "straight-through") options.mode = DiscreteMode::straight_through;
    else if (name == "smoothed") options.mode = DiscreteMode::smoothed;
    else if (name == "score") options.mode = DiscreteMode::score;
    else throw_range_error("discrete.mode must be one of 'exact', 'relaxed', 'straight-through', 'smoothed', 'score', got '" + name + "'");
  }
  const auto positive = [&](const char* key, const std::string& name, double& out) {
    const Napi::Value v = object.Get(key);
    if (v.IsUndefined()) return;
    out = finite_number(v, name);
    if (!(out > 0)) throw_range_error(name + " must be a finite number > 0, got " + describe(v));
  };
  positive("tau", "discrete.tau", options.temperature);
  positive("sharpness", "discrete.sharpness", options.sharpness);
  return options;
}

Dtype parse_dtype(const Napi::Value& value) {
  if (value.IsUndefined()) return Dtype::float32;
  const std::string name = string_value(value, "dtype");
  if (name == "float32") return Dtype::float32;
  if (name == "float64") return Dtype::float64;
  throw_range_error("dtype must be 'float32' or 'float64', got '" + name + "'");
}

std::string parse_backend(const Napi::Value& value) {
  if (value.IsUndefined()) return "auto";
  const std::string name = string_value(value, "backend");
  if (name != "auto" && name != "cpu" && name != "cuda") {
    throw_range_error("backend must be 'auto', 'cpu' or 'cuda', got '" + name + "'");
  }
  return name;
}

}  // namespace

OutputCounts output_counts(const SimulationRequest& request) {
  OutputCounts counts{0, 0, 0, request.dtype == Dtype::float64 ? sizeof(double) : sizeof(float)};
  visit_model(request.model.c_str(), [&](auto tag) {
    using Model = typename decltype(tag)::type;
    const OutputLayout layout = output_layout(request, output_count<Model>());
    const std::size_t replicates = static_cast<std::size_t>(request.replicates);
    counts.values = replicates * layout.values_per_replicate();
    counts.tangents = replicates * layout.tangents_per_replicate();
    counts.log_prob = request.discrete.mode == DiscreteMode::score ? replicates * layout.log_prob_per_replicate() : 0;
  });
  return counts;
}

ParsedRequest parse_request(const Napi::Object& request) {
  ParsedRequest parsed;
  SimulationRequest& sim = parsed.simulation;
  sim.model = string_value(request.Get("model"), "model");
  sim.replicates = static_cast<int32_t>(integer_in(request.Get("replicates"), "replicates", 1, kMaxReplicates));
  const bool known = visit_model(sim.model.c_str(), [&](auto tag) {
    using Model = typename decltype(tag)::type;
    sim.interventions = parse_interventions(request.Get("interventions"), parameter_count<Model>());
    sim.theta = parse_theta<Model>(request.Get("theta"), sim.interventions);
    sim.theta_table = parse_theta_table<Model>(request.Get("thetaTable"), sim.replicates, sim.interventions);
    sim.settings = parse_settings<Model>(request.Get("settings"));
    sim.tangent_params = parse_tangents<Model>(request.Get("tangents"), static_cast<int>(sim.interventions.size()));
    parse_model_graph<Model>(request.Get("graph"), sim);
  });
  if (!known) throw_range_error("model must be one of " + model_names() + ", got '" + sim.model + "'");

  const Napi::Value seed = request.Get("seed");
  sim.seed = seed.IsUndefined() ? 0 : seed_value(seed, "seed");
  sim.discrete = parse_discrete(request.Get("discrete"));
  sim.dtype = parse_dtype(request.Get("dtype"));
  const Napi::Value threads = request.Get("threads");
  sim.threads = threads.IsUndefined() ? 0 : static_cast<int32_t>(integer_in(threads, "threads", 0, kMaxThreads));
  parsed.backend_requested = parse_backend(request.Get("backend"));
  const Napi::Value max_bytes = request.Get("maxBytes");
  if (!max_bytes.IsUndefined()) {
    parsed.max_bytes = finite_number(max_bytes, "maxBytes");
    if (parsed.max_bytes < 0) throw_range_error("maxBytes must be a finite number >= 0 (0: the default cap), got " + describe(max_bytes));
  }
  return parsed;
}

}  // namespace ag::addon
