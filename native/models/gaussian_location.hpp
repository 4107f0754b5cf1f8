// Gaussian location model: every step each agent draws x = mu + sigma z, z ~ N(0, 1)
// (reparameterised); the output is their mean. With the MSE loss and a normal prior on mu the
// generalised posterior is Gaussian in closed form, which makes it the conjugate test of fit().
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "model_spec.hpp"

namespace ag {

struct GaussianLocation {
  static constexpr const char* kName = "gaussianLocation";
  enum Parameter { kMu, kSigma };
  static constexpr ParameterSpec kParameters[] = {{"mu", Constraint::real, 0.0}, {"sigma", Constraint::positive, 1.0}};
  static constexpr SettingSpec kSettings[] = {{"agents", 1, 1, 1e8, true}, {"steps", 20, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"x"};
  static constexpr int kAgentFields = 0;
  enum Slot : uint32_t { kSlotNoise };

  template <class S>
  struct State {
    S mean;
  };

  template <class S, class Team>
  AG_HD static void init(Team&, const S*, const double*, State<S>& state) {
    state.mean = S(RealOf<S>(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const S total = team.sum([&](int i) { return theta[kMu] + theta[kSigma] * team.normal(i, t, kSlotNoise); });
    state.mean = total / T(team.agents());
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.mean;
  }
};

}  // namespace ag
