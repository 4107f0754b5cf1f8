// Validation failures, raised before any allocation or launch and turned into a JS TypeError or
// RangeError whose message names the argument and the allowed range.
#pragma once

#include <napi.h>

#include <stdexcept>
#include <string>

namespace ag::addon {

struct ArgumentError : std::runtime_error {
  enum class Kind { type, range };
  Kind kind;
  ArgumentError(Kind k, const std::string& message) : std::runtime_error(message), kind(k) {}
};

[[noreturn]] inline void throw_type_error(const std::string& message) {
  throw ArgumentError(ArgumentError::Kind::type, message);
}
[[noreturn]] inline void throw_range_error(const std::string& message) {
  throw ArgumentError(ArgumentError::Kind::range, message);
}

inline Napi::Error to_js_error(Napi::Env env, const ArgumentError& error) {
  if (error.kind == ArgumentError::Kind::type) return Napi::TypeError::New(env, error.what());
  return Napi::RangeError::New(env, error.what());
}

}  // namespace ag::addon
