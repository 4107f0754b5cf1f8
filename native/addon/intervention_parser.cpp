#include "intervention_parser.hpp"

#include <cstdint>
#include <string>

#include "argument_error.hpp"
#include "js_values.hpp"

namespace ag::addon {
namespace {

constexpr int64_t kForever = 2147483647;

Intervention parse_intervention(const Napi::Value& value, const std::string& name, int count) {
  const Napi::Object object = object_value(value, name);
  Intervention item{};
  item.parameter = static_cast<int32_t>(integer_in(object.Get("parameter"), name + ".parameter", 0, count - 1));
  item.from = static_cast<int32_t>(integer_in(object.Get("from"), name + ".from", 0, kForever));
  const Napi::Value to = object.Get("to");
  item.to = to.IsUndefined() ? static_cast<int32_t>(kForever)
                             : static_cast<int32_t>(integer_in(to, name + ".to", item.from + 1, kForever));
  return item;
}

}  // namespace

std::vector<Intervention> parse_interventions(const Napi::Value& value, int count) {
  if (value.IsUndefined()) return {};
  if (!value.IsArray()) throw_type_error("interventions must be an array of { parameter, from, to }, got " + describe(value));
  const Napi::Array array = value.As<Napi::Array>();
  if (array.Length() > static_cast<uint32_t>(kMaxInterventions)) {
    throw_range_error("interventions must hold at most " + std::to_string(kMaxInterventions) + " items, got " +
                      std::to_string(array.Length()));
  }
  std::vector<Intervention> items;
  for (uint32_t m = 0; m < array.Length(); ++m) {
    items.push_back(parse_intervention(array.Get(m), "interventions[" + std::to_string(m) + "]", count));
  }
  return items;
}

void check_scaled_parameters(const double* point, const std::vector<Intervention>& interventions,
                             const ParameterSpec* parameters, int count, const std::string& where) {
  for (int j = 0; j < count; ++j) {
    if (parameters[j].constraint != Constraint::unit) continue;
    double scaled = point[j];
    for (std::size_t m = 0; m < interventions.size(); ++m) {
      if (interventions[m].parameter == j) scaled *= point[count + m];
    }
    if (scaled > 1.0) {
      throw_range_error(where + "." + parameters[j].name + " times its intervention factors must stay in [0, 1] " +
                        "(constraint 'unit'), got " + format_number(scaled));
    }
  }
}

}  // namespace ag::addon
