// Copies a model program (docs/program-format.md) out of its JS object and validates every word
// before anything is allocated for the simulation.
#pragma once

#include <napi.h>

#include <memory>

#include "../program/program.hpp"

namespace ag::addon {

// Throws ArgumentError (TypeError for a wrong type, RangeError for a wrong value or a malformed program).
std::shared_ptr<const Program> parse_program(const Napi::Value& value);

}  // namespace ag::addon
