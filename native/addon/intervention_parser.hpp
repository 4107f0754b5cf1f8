// The interventions of a request: [{ parameter, from, to }], each scaling one model parameter by a
// factor (an extra entry of theta) on steps from <= t < to.
#pragma once

#include <napi.h>

#include <vector>

#include "../models/model_spec.hpp"
#include "../models/simulation.hpp"

namespace ag::addon {

// `count`: the model's parameters.
std::vector<Intervention> parse_interventions(const Napi::Value& value, int count);

// A unit parameter must stay in [0, 1] under all its factors at once; `where` names the point
// ("theta" or "thetaTable[r]").
void check_scaled_parameters(const double* point, const std::vector<Intervention>& interventions,
                             const ParameterSpec* parameters, int count, const std::string& where);

}  // namespace ag::addon
