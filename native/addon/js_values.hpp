// Reading validated numbers out of JS values.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace ag::addon {

std::string describe(const Napi::Value& value);
// x without trailing zeros, e.g. 0.5 or 12.
std::string format_number(double x);

double finite_number(const Napi::Value& value, const std::string& name);
// An integer in [min, max]; the message names the argument and the range.
int64_t integer_in(const Napi::Value& value, const std::string& name, int64_t min, int64_t max);
uint64_t seed_value(const Napi::Value& value, const std::string& name);
std::string string_value(const Napi::Value& value, const std::string& name);
Napi::Object object_value(const Napi::Value& value, const std::string& name);

}  // namespace ag::addon
