// Volatility clustering (Cont 2007). Each agent trades when the common signal crosses its
// threshold; thresholds reset to the latest absolute return with probability s.
//   nu_i(0) ~ LogNormal(muLN, sigmaLN), r(0) = 0
//   eps_t ~ N(0, sigmaEps^2);  rho_i = 1[eps_t > nu_i] - 1[eps_t < -nu_i];  r_t = sum rho_i / (N eta)
//   nu_i <- |r_t| with probability s, else unchanged
// Output: r (length T + 1).
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "model_spec.hpp"

namespace ag {

struct Volatility {
  static constexpr const char* kName = "volatility";
  enum Parameter { kMuLN, kSigmaLN, kSigmaEps, kEta };
  static constexpr ParameterSpec kParameters[] = {
      {"muLN", Constraint::positive, 1.0},
      {"sigmaLN", Constraint::positive, 0.5},
      {"sigmaEps", Constraint::positive, 1.0},
      {"eta", Constraint::positive, 0.7},
  };
  enum Setting { kAgents, kSteps, kResetProbability };
  static constexpr SettingSpec kSettings[] = {
      {"agents", 1000, 1, 1e8, true},
      {"steps", 100, 1, 1e6, true},
      {"resetProbability", 0.1, 0, 1, false},
  };
  static constexpr const char* kOutputs[] = {"r"};
  static constexpr int kAgentFields = 1;
  enum Slot : uint32_t { kSlotInitialThreshold, kSlotSignal, kSlotReset };

  template <class S>
  struct State {
    AgentArray<S> threshold;
    S r;
  };

  template <class S, class Team>
  AG_HD static void init(Team& team, const S* theta, const double* /*settings*/, State<S>& state) {
    state.threshold = team.agent_field(0);
    const auto threshold_normals = team.normals(0, kSlotInitialThreshold);
    team.for_each_agent([&](int i) {
      state.threshold.set(i, exp(theta[kMuLN] + theta[kSigmaLN] * threshold_normals(i)));
    });
    state.r = S(RealOf<S>(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double* settings, State<S>& state, int t) {
    using T = RealOf<S>;
    const S signal = theta[kSigmaEps] * team.common_normal(t, kSlotSignal);
    const auto order = team.dead_zone_sign(signal);  // order(nu) = 1[signal > nu] - 1[signal < -nu]
    const S demand = team.sum([&](int i) { return order(state.threshold.get(i)); });
    state.r = demand / (T(team.agents()) * theta[kEta]);
    const S magnitude = abs(state.r);
    const T reset_probability = T(settings[kResetProbability]);
    const auto reset_uniforms = team.uniforms(t, kSlotReset);
    team.for_each_agent([&](int i) {
      const T reset = team.fixed_bernoulli(reset_probability, reset_uniforms(i));
      const S nu = state.threshold.get(i);
      state.threshold.set(i, reset * magnitude + (T(1) - reset) * nu);
    });
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.r;
  }
};

}  // namespace ag
