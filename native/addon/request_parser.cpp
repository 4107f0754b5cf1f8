#include "request_parser.hpp"

#include <cmath>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "../program/request_outputs.hpp"
#include "../program/validate.hpp"
#include "argument_error.hpp"
#include "graph_parser.hpp"
#include "intervention_parser.hpp"
#include "js_values.hpp"
#include "program_parser.hpp"

namespace ag::addon {
namespace {

constexpr int64_t kMaxReplicates = 2147483647;
constexpr int64_t kMaxStreams = int64_t{1} << 32;  // the replicate word of the Philox counter
constexpr int64_t kMaxThreads = 1024;

std::string model_names() {
  std::string names;
  for_each_model([&](auto tag) {
    if (!names.empty()) names += ", ";
    names += std::string("'") + decltype(tag)::type::kName + "'";
  });
  return names;
}

// What a request is checked against: a registered model's metadata, or a program's.
struct ModelMeta {
  std::string name;
  std::vector<ParameterSpec> parameters;  // names point into the model or the program
  std::vector<SettingSpec> settings;
  bool uses_graph = false;
  int parameter_count() const { return static_cast<int>(parameters.size()); }
};

template <class Model>
ModelMeta meta_of() {
  ModelMeta meta;
  meta.name = Model::kName;
  meta.parameters.assign(std::begin(Model::kParameters), std::end(Model::kParameters));
  meta.settings.assign(std::begin(Model::kSettings), std::end(Model::kSettings));
  meta.uses_graph = uses_graph<Model>();
  return meta;
}

ModelMeta meta_of(const Program& program) {
  ModelMeta meta;
  meta.name = program.name;
  for (const ProgramParameter& p : program.parameters) meta.parameters.push_back(ParameterSpec{p.name.c_str(), p.constraint, p.reference});
  for (const ProgramSetting& s : program.settings) meta.settings.push_back(SettingSpec{s.name.c_str(), s.fallback, s.min, s.max, s.integer});
  meta.uses_graph = program.uses_graph;
  return meta;
}

// The name and constraint of entry j of a point: a model parameter, or an intervention factor.
std::string point_entry_name(const ModelMeta& meta, int j) {
  const int count = meta.parameter_count();
  return j < count ? std::string(meta.parameters[j].name) : "interventions[" + std::to_string(j - count) + "].factor";
}
Constraint point_entry_constraint(const ModelMeta& meta, int j) {
  return j < meta.parameter_count() ? meta.parameters[j].constraint : Constraint::positive;
}

std::vector<double> parse_theta(const ModelMeta& meta, const Napi::Value& value, const std::vector<Intervention>& interventions) {
  const int count = meta.parameter_count() + static_cast<int>(interventions.size());
  const std::string expected = std::to_string(count) + " numbers for model '" + meta.name + "'" +
                               (interventions.empty() ? "" : " (its parameters, then one factor per intervention)");
  if (!value.IsArray()) throw_type_error("theta must be an array of " + expected);
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() != static_cast<uint32_t>(count)) {
    throw_range_error("theta must hold " + expected + ", got " + std::to_string(array.Length()));
  }
  std::vector<double> theta(count);
  for (int j = 0; j < count; ++j) {
    const Constraint constraint = point_entry_constraint(meta, j);
    const std::string name = "theta." + point_entry_name(meta, j);
    const Napi::Value element = array.Get(static_cast<uint32_t>(j));
    if (!element.IsNumber()) throw_type_error(name + " must be " + constraint_range(constraint) + ", got " + describe(element));
    theta[j] = element.As<Napi::Number>().DoubleValue();
    if (!satisfies(constraint, theta[j])) {
      throw_range_error(name + " must be " + constraint_range(constraint) + " (constraint '" +
                        constraint_name(constraint) + "'), got " + describe(element));
    }
  }
  check_scaled_parameters(theta.data(), interventions, meta.parameters.data(), meta.parameter_count(), "theta");
  return theta;
}

// One parameter point per replicate, row-major [replicates][parameters + interventions].
std::vector<double> parse_theta_table(const ModelMeta& meta, const Napi::Value& value, int32_t replicates,
                                      const std::vector<Intervention>& interventions) {
  if (value.IsUndefined()) return {};
  const int count = meta.parameter_count() + static_cast<int>(interventions.size());
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
    const Constraint constraint = point_entry_constraint(meta, j);
    if (!satisfies(constraint, rows[i])) {
      throw_range_error("thetaTable[" + std::to_string(i / count) + "]." + point_entry_name(meta, j) + " must be " +
                        constraint_range(constraint) + ", got " + format_number(rows[i]));
    }
  }
  for (int32_t r = 0; r < replicates; ++r) {
    check_scaled_parameters(rows.data() + static_cast<std::size_t>(r) * count, interventions, meta.parameters.data(),
                            meta.parameter_count(), "thetaTable[" + std::to_string(r) + "]");
  }
  return rows;
}

std::vector<double> parse_settings(const ModelMeta& meta, const Napi::Value& value) {
  const int count = static_cast<int>(meta.settings.size());
  const Napi::Object given = value.IsUndefined() ? Napi::Object::New(value.Env()) : object_value(value, "settings");
  std::vector<double> settings(count);
  for (int s = 0; s < count; ++s) {
    const SettingSpec& spec = meta.settings[s];
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
    for (int s = 0; s < count; ++s) known = known || key == meta.settings[s].name;
    if (!known) throw_type_error("'" + key + "' is not a setting of model '" + meta.name + "'");
  }
  return settings;
}

std::vector<int32_t> parse_tangents(const ModelMeta& meta, const Napi::Value& value, int interventions) {
  const int count = meta.parameter_count() + interventions;
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
    if (seen[j]) throw_range_error("tangents names parameter '" + point_entry_name(meta, static_cast<int>(j)) + "' twice");
    seen[j] = true;
    lanes.push_back(static_cast<int32_t>(j));
  }
  return lanes;
}

// Models that read a graph need one over exactly their agents; the others take none.
void parse_model_graph(const ModelMeta& meta, const Napi::Value& value, SimulationRequest& sim) {
  if (meta.uses_graph) {
    if (value.IsUndefined()) throw_type_error("model '" + meta.name + "' needs a graph { offsets, neighbours }");
    ParsedGraph graph = parse_graph(value, static_cast<int64_t>(sim.settings[kAgentsSetting]));
    sim.graph_offsets = std::move(graph.offsets);
    sim.graph_neighbours = std::move(graph.neighbours);
  } else if (!value.IsUndefined()) {
    throw_type_error("model '" + meta.name + "' takes no graph");
  }
}

void parse_model_inputs(const ModelMeta& meta, const Napi::Object& request, SimulationRequest& sim) {
  sim.interventions = parse_interventions(request.Get("interventions"), meta.parameter_count());
  sim.theta = parse_theta(meta, request.Get("theta"), sim.interventions);
  sim.theta_table = parse_theta_table(meta, request.Get("thetaTable"), sim.replicates, sim.interventions);
  sim.settings = parse_settings(meta, request.Get("settings"));
  sim.tangent_params = parse_tangents(meta, request.Get("tangents"), static_cast<int>(sim.interventions.size()));
  parse_model_graph(meta, request.Get("graph"), sim);
}

// The request's model: a registered one by name, or a program, validated with its loop counts.
void parse_model(const Napi::Object& request, SimulationRequest& sim) {
  const Napi::Value program = request.Get("program");
  if (!program.IsUndefined()) {
    if (!request.Get("model").IsUndefined()) throw_type_error("a request names a model or carries a program, not both");
    sim.program = parse_program(program);
    sim.model = sim.program->name;
    parse_model_inputs(meta_of(*sim.program), request, sim);
    try {
      check_loop_counts(*sim.program, sim.settings);
    } catch (const ProgramError& error) {
      throw_range_error(std::string("model program '") + sim.model + "': " + error.what());
    }
    return;
  }
  sim.model = string_value(request.Get("model"), "model");
  const bool known = visit_model(sim.model.c_str(), [&](auto tag) {
    parse_model_inputs(meta_of<typename decltype(tag)::type>(), request, sim);
  });
  if (!known) throw_range_error("model must be one of " + model_names() + ", got '" + sim.model + "'");
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

constexpr int64_t kMaxDeviceIndex = 65535;

std::string device_index_rule(const std::string& name) {
  return name + " must be a CUDA device index, an integer from 0 to the number of visible devices - 1";
}

// devices: 'all' (every visible device, counted when the request runs) or a non-empty list of
// distinct indices; whether they are visible is checked once the backend is chosen (backends.cpp).
void parse_devices(const Napi::Value& value, const std::string& backend, SimulationRequest& sim) {
  if (value.IsUndefined()) return;
  const char* allowed = "devices must be 'all' or a non-empty array of distinct CUDA device indices";
  if (backend == "cpu") {
    throw_type_error("devices chooses CUDA devices and cannot go with backend 'cpu'; leave devices out, or use backend 'cuda' or 'auto'");
  }
  if (value.IsString()) {
    const std::string name = value.As<Napi::String>().Utf8Value();
    if (name != "all") throw_range_error(std::string(allowed) + ", got " + describe(value));
    sim.all_devices = true;
    return;
  }
  if (!value.IsArray()) throw_type_error(std::string(allowed) + ", got " + describe(value));
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() == 0) throw_range_error(std::string(allowed) + ", got an empty array");
  if (array.Length() > kMaxDeviceIndex + 1) throw_range_error(std::string(allowed) + ", got " + std::to_string(array.Length()) + " entries");
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const std::string name = "devices[" + std::to_string(i) + "]";
    const Napi::Value element = array.Get(i);
    if (!element.IsNumber()) throw_type_error(device_index_rule(name) + ", got " + describe(element));
    const double x = element.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(x) || std::floor(x) != x || x < 0 || x > static_cast<double>(kMaxDeviceIndex)) {
      throw_range_error(device_index_rule(name) + ", got " + describe(element));
    }
    const int32_t device = static_cast<int32_t>(x);
    for (const int32_t earlier : sim.devices) {
      if (earlier == device) throw_range_error("devices lists device " + std::to_string(device) + " twice");
    }
    sim.devices.push_back(device);
  }
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
  const OutputLayout layout = output_layout(request, request_output_count(request));
  const std::size_t replicates = static_cast<std::size_t>(request.replicates);
  counts.values = replicates * layout.values_per_replicate();
  counts.tangents = replicates * layout.tangents_per_replicate();
  counts.log_prob = request.discrete.mode == DiscreteMode::score ? replicates * layout.log_prob_per_replicate() : 0;
  return counts;
}

ParsedRequest parse_request(const Napi::Object& request) {
  ParsedRequest parsed;
  SimulationRequest& sim = parsed.simulation;
  sim.replicates = static_cast<int32_t>(integer_in(request.Get("replicates"), "replicates", 1, kMaxReplicates));
  parse_model(request, sim);

  const Napi::Value seed = request.Get("seed");
  sim.seed = seed.IsUndefined() ? 0 : seed_value(seed, "seed");
  const Napi::Value first_replicate = request.Get("firstReplicate");
  if (!first_replicate.IsUndefined()) {
    // Stream indices are 32-bit: the last replicate's, first + replicates - 1, must fit.
    sim.first_replicate = static_cast<uint32_t>(integer_in(first_replicate, "firstReplicate", 0, kMaxStreams - sim.replicates));
  }
  const Napi::Value whole = request.Get("wholeReplicates");
  if (!whole.IsUndefined()) {
    sim.plan_replicates = static_cast<int32_t>(integer_in(whole, "wholeReplicates", sim.replicates, kMaxReplicates));
  }
  sim.discrete = parse_discrete(request.Get("discrete"));
  sim.dtype = parse_dtype(request.Get("dtype"));
  const Napi::Value threads = request.Get("threads");
  sim.threads = threads.IsUndefined() ? 0 : static_cast<int32_t>(integer_in(threads, "threads", 0, kMaxThreads));
  parsed.backend_requested = parse_backend(request.Get("backend"));
  parse_devices(request.Get("devices"), parsed.backend_requested, sim);
  const Napi::Value max_bytes = request.Get("maxBytes");
  if (!max_bytes.IsUndefined()) {
    parsed.max_bytes = finite_number(max_bytes, "maxBytes");
    if (parsed.max_bytes < 0) throw_range_error("maxBytes must be a finite number >= 0 (0: the default cap), got " + describe(max_bytes));
  }
  return parsed;
}

}  // namespace ag::addon
