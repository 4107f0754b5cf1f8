// Estimator test model: x = 2 Bern(3 theta) + Bern(theta), averaged over agents, one step.
// E[x] = 7 theta, so dE[x]/dtheta = 7 (for theta <= 1/3; 3 theta is clamped to 1 above that).
#pragma once

#include "agent_mean_model.hpp"
#include "model_spec.hpp"

namespace ag {

struct BernoulliSum : AgentMeanModel {
  static constexpr const char* kName = "bernoulliSum";
  enum Parameter { kTheta };
  static constexpr ParameterSpec kParameters[] = {{"theta", Constraint::unit, 0.2}};
  static constexpr SettingSpec kSettings[] = {{"agents", 1, 1, 1e8, true}, {"steps", 1, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"x"};
  enum Slot : uint32_t { kSlotTriple, kSlotSingle };

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const S p = theta[kTheta];
    const S triple = min(T(3) * p, S(T(1)));
    state.mean = agent_mean<S>(team, [&](int i) {
      return T(2) * team.bernoulli(triple, i, t, kSlotTriple) + team.bernoulli(p, i, t, kSlotSingle);
    });
  }
};

}  // namespace ag
