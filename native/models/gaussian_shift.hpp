// Estimator test model: z ~ N(theta, 2^2) (reparameterised), y = theta^2 (4 + z), averaged over
// agents, one step. E[y] = 4 theta^2 + theta^3, so dE[y]/dtheta = 8 theta + 3 theta^2.
#pragma once

#include "agent_mean_model.hpp"
#include "model_spec.hpp"

namespace ag {

struct GaussianShift : AgentMeanModel {
  static constexpr const char* kName = "gaussianShift";
  enum Parameter { kTheta };
  static constexpr ParameterSpec kParameters[] = {{"theta", Constraint::real, 2.0}};
  static constexpr SettingSpec kSettings[] = {{"agents", 1, 1, 1e8, true}, {"steps", 1, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"y"};
  enum Slot : uint32_t { kSlotNoise };
  static constexpr bool kContinuous = true;  // no discrete draws or thresholds

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const S th = theta[kTheta];
    const auto noise = team.normals(t, kSlotNoise);
    state.mean = agent_mean<S>(team, [&](int i) {
      const S z = th + T(2) * noise(i);
      return th * th * (T(4) + z);
    });
  }
};

}  // namespace ag
