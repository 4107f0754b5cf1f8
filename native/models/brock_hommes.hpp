// Brock–Hommes (1998) asset pricing with four trader types. Type j forecasts g_j x(t-1) + b_j; the
// fractions of types follow a softmax of their past performance
//   U_j = beta (x(t-1) - R x(t-2)) (g_j x(t-3) + b_j - R x(t-2)),
// and the price deviation is x(t) = (sum_j softmax(U)_j (g_j x(t-1) + b_j) + sigma eps_t) / R with
// eps_t ~ N(0, 1), x(-2) = x(-1) = x(0) = 0. The noise is continuous and reparameterised, so
// pathwise tangents are exact. Output: x (length T + 1).
#pragma once

#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "model_spec.hpp"

namespace ag {

struct BrockHommes {
  static constexpr const char* kName = "brockHommes";
  static constexpr int kTypes = 4;
  enum Parameter { kBeta, kR, kSigma, kG1, kB1 = kG1 + kTypes };
  static constexpr ParameterSpec kParameters[] = {
      {"beta", Constraint::positive, 120},  {"R", Constraint::positive, 1.01}, {"sigma", Constraint::positive, 0.04},
      {"g1", Constraint::real, 0},          {"g2", Constraint::real, 0.9},     {"g3", Constraint::real, 0.9},
      {"g4", Constraint::real, 1.01},       {"b1", Constraint::real, 0},       {"b2", Constraint::real, 0.2},
      {"b3", Constraint::real, -0.2},       {"b4", Constraint::real, 0},
  };
  // The four trader types play the part of the agents: there are no per-agent loops.
  static constexpr SettingSpec kSettings[] = {{"agents", kTypes, kTypes, kTypes, true}, {"steps", 100, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"x"};
  static constexpr int kAgentFields = 0;
  static constexpr bool kContinuous = true;  // no discrete draws or thresholds
  enum Slot : uint32_t { kSlotNoise };

  template <class S>
  struct State {
    S x[3];  // x(t-1), x(t-2), x(t-3)
  };

  template <class S, class Team>
  AG_HD static void init(Team&, const S*, const double*, State<S>& state) {
    for (S& past : state.x) past = S(RealOf<S>(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const S& R = theta[kR];
    const S realised = state.x[0] - R * state.x[1];
    S fitness[kTypes];
    T largest = T(-__builtin_huge_val());
    for (int j = 0; j < kTypes; ++j) {
      fitness[j] = theta[kBeta] * realised * (theta[kG1 + j] * state.x[2] + theta[kB1 + j] - R * state.x[1]);
      largest = max(largest, value(fitness[j]));
    }
    // Softmax is shift invariant: subtracting the largest value (a constant) keeps exp finite.
    S weight_sum(T(0));
    S forecast_sum(T(0));
    for (int j = 0; j < kTypes; ++j) {
      const S weight = exp(fitness[j] - largest);
      weight_sum += weight;
      forecast_sum += weight * (theta[kG1 + j] * state.x[0] + theta[kB1 + j]);
    }
    const S x = (forecast_sum / weight_sum + theta[kSigma] * team.common_normal(t, kSlotNoise)) / R;
    state.x[2] = state.x[1];
    state.x[1] = state.x[0];
    state.x[0] = x;
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.x[0];
  }
};

}  // namespace ag
