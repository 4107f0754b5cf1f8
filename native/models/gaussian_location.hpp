// Gaussian location model: every step each agent draws x = mu + sigma z, z ~ N(0, 1)
// (reparameterised); the output is their mean. With the MSE loss and a normal prior on mu the
// generalised posterior is Gaussian in closed form, which makes it the conjugate test of fit().
#pragma once

#include "agent_mean_model.hpp"
#include "model_spec.hpp"

namespace ag {

struct GaussianLocation : AgentMeanModel {
  static constexpr const char* kName = "gaussianLocation";
  enum Parameter { kMu, kSigma };
  static constexpr ParameterSpec kParameters[] = {{"mu", Constraint::real, 0.0}, {"sigma", Constraint::positive, 1.0}};
  static constexpr SettingSpec kSettings[] = {{"agents", 1, 1, 1e8, true}, {"steps", 20, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"x"};
  enum Slot : uint32_t { kSlotNoise };
  static constexpr bool kContinuous = true;  // no discrete draws or thresholds

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    const auto noise = team.normals(t, kSlotNoise);
    state.mean = agent_mean<S>(team, [&](int i) { return theta[kMu] + theta[kSigma] * noise(i); });
  }
};

}  // namespace ag
