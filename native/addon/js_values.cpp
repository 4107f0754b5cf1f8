#include "js_values.hpp"

#include <cmath>
#include <sstream>

#include "argument_error.hpp"

namespace ag::addon {

std::string describe(const Napi::Value& value) {
  if (value.IsUndefined()) return "undefined";
  if (value.IsNull()) return "null";
  if (value.IsNumber()) {
    std::ostringstream out;
    out.precision(17);
    out << value.As<Napi::Number>().DoubleValue();
    return out.str();
  }
  if (value.IsBigInt()) return "a bigint";
  if (value.IsString()) return "the string '" + value.As<Napi::String>().Utf8Value() + "'";
  if (value.IsBoolean()) return value.As<Napi::Boolean>().Value() ? "true" : "false";
  if (value.IsArray()) return "an array";
  if (value.IsTypedArray()) return "a typed array";
  if (value.IsFunction()) return "a function";
  return "an object";
}

double finite_number(const Napi::Value& value, const std::string& name) {
  if (!value.IsNumber()) throw_type_error(name + " must be a finite number, got " + describe(value));
  const double x = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x)) throw_range_error(name + " must be a finite number, got " + describe(value));
  return x;
}

int64_t integer_in(const Napi::Value& value, const std::string& name, int64_t min, int64_t max) {
  const std::string range = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!value.IsNumber()) throw_type_error(name + " must be " + range + ", got " + describe(value));
  const double x = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x) || std::floor(x) != x || x < static_cast<double>(min) || x > static_cast<double>(max)) {
    throw_range_error(name + " must be " + range + ", got " + describe(value));
  }
  return static_cast<int64_t>(x);
}

uint64_t seed_value(const Napi::Value& value, const std::string& name) {
  const char* range = "a non-negative integer below 2^64 (a number up to 2^53 - 1, or a bigint)";
  if (value.IsBigInt()) {
    bool lossless = false;
    const uint64_t seed = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw_range_error(name + " must be " + range);
    return seed;
  }
  if (!value.IsNumber()) throw_type_error(name + " must be " + std::string(range) + ", got " + describe(value));
  const double x = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x) || std::floor(x) != x || x < 0 || x > 9007199254740991.0) {
    throw_range_error(name + " must be " + std::string(range) + ", got " + describe(value));
  }
  return static_cast<uint64_t>(x);
}

std::string string_value(const Napi::Value& value, const std::string& name) {
  if (!value.IsString()) throw_type_error(name + " must be a string, got " + describe(value));
  return value.As<Napi::String>().Utf8Value();
}

std::string format_number(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Napi::Object object_value(const Napi::Value& value, const std::string& name) {
  if (!value.IsObject() || value.IsArray() || value.IsFunction()) {
    throw_type_error(name + " must be an object, got " + describe(value));
  }
  return value.As<Napi::Object>();
}

}  // namespace ag::addon
