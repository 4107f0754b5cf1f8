// Metadata every model declares: its parameters with their constraints, its settings (fixed,
// non-differentiable configuration) and its outputs. The addon validates requests against it and
// reports it to TypeScript.
#pragma once

#include <cstdint>

namespace ag {

enum class Constraint : int32_t { real = 0, positive = 1, unit = 2 };

struct ParameterSpec {
  const char* name;
  Constraint constraint;
  double reference;  // the model's reference value (DESIGN.md)
};

struct SettingSpec {
  const char* name;
  double fallback;  // value when the request leaves it out
  double min;
  double max;
  bool integer;
};

constexpr int kMaxParameters = 20;
constexpr int kMaxSettings = 16;

inline const char* constraint_name(Constraint c) {
  switch (c) {
    case Constraint::positive: return "positive";
    case Constraint::unit: return "unit";
    case Constraint::real:
    default: return "real";
  }
}

inline bool satisfies(Constraint c, double x) {
  switch (c) {
    case Constraint::positive: return x > 0.0 && x < 1.0 / 0.0;
    case Constraint::unit: return x >= 0.0 && x <= 1.0;
    case Constraint::real:
    default: return x > -1.0 / 0.0 && x < 1.0 / 0.0;
  }
}

inline const char* constraint_range(Constraint c) {
  switch (c) {
    case Constraint::positive: return "a finite number > 0";
    case Constraint::unit: return "a number in [0, 1]";
    case Constraint::real:
    default: return "a finite number";
  }
}

}  // namespace ag
