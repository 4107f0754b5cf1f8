// Volatility clustering (Cont 2007). Each agent trades when the common signal crosses its
// threshold; thresholds reset to the latest absolute return with probability s.
//   nu_i(0) ~ LogNormal(muLN, sigmaLN), r(0) = 0
//   eps_t ~ N(0, sigmaEps^2);  rho_i = 1[eps_t > nu_i] - 1[eps_t < -nu_i];  r_t = sum rho_i / (N eta)
//   nu_i <- |r_t| with probability s, else unchanged
// Output: r (length T + 1).
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/discrete.hpp"
#include "../core/dual.hpp"
#include "../core/tangent_ops.hpp"
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

  // Step t - 1's resets are taken in step t's pass over the agents, the one that sums their orders,
  // so that each step reads and writes the thresholds once. Their draws stay keyed by step t - 1,
  // which keeps every number what a pass of their own would give. The last step's resets reach no
  // output, since no later step reads the thresholds: only score mode, whose log p counts their
  // draws, takes them (in a pass of their own).
  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double* settings, State<S>& state, int t) {
    using T = RealOf<S>;
    const S signal = theta[kSigmaEps] * team.common_normal(t, kSlotSignal);
    const auto order = team.dead_zone_sign(signal);  // order(nu) = 1[signal > nu] - 1[signal < -nu]
    const T reset_probability = T(settings[kResetProbability]);
    S demand;
    if (t > 1) {
      const S magnitude = abs(state.r);
      const auto reset_uniforms = team.uniforms(t - 1, kSlotReset);
      demand = order.sum_over(team, [&](int i) {
        const S nu = reset_threshold(team, reset_probability, reset_uniforms(i), magnitude, state.threshold.get(i));
        state.threshold.set(i, nu);
        return nu;
      });
    } else {
      demand = order.sum_over(team, [&](int i) { return state.threshold.get(i); });
    }
    state.r = demand / (T(team.agents()) * theta[kEta]);
    if (t == static_cast<int>(settings[kSteps]) && team.discrete().mode == DiscreteMode::score) {
      const S magnitude = abs(state.r);
      const auto reset_uniforms = team.uniforms(t, kSlotReset);
      team.for_each_agent([&](int i) {
        state.threshold.set(i, reset_threshold(team, reset_probability, reset_uniforms(i), magnitude, state.threshold.get(i)));
      });
    }
  }

  // nu after its reset draw: |r| with probability s, else unchanged. Only the relaxed draw is
  // fractional; every other mode draws exactly 0 or 1, where a select gives the blend's numbers
  // with a third of its arithmetic.
  template <class S, class Team>
  AG_HD AG_INLINE static S reset_threshold(Team& team, RealOf<S> reset_probability, RealOf<S> uniform,
                                           const S& magnitude, const S& nu) {
    using T = RealOf<S>;
    const T reset = team.fixed_bernoulli(reset_probability, uniform);
    if (team.discrete().mode != DiscreteMode::relaxed) return select(reset != T(0), magnitude, nu);
    return reset * magnitude + (T(1) - reset) * nu;
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.r;
  }
};

}  // namespace ag
