// Bass diffusion of an innovation: the worked example of docs/adding-a-model.md. Each agent that
// has not adopted adopts during a step with probability 1 - exp(-(p + q F)), F the fraction that
// had adopted before the step: p is the pull of innovation, q of imitation. Output: F (length
// T + 1, F(0) = 0).
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "model_spec.hpp"

namespace ag {

struct BassDiffusion {
  static constexpr const char* kName = "bassDiffusion";
  enum Parameter { kInnovation, kImitation };
  static constexpr ParameterSpec kParameters[] = {
      {"p", Constraint::positive, 0.03},
      {"q", Constraint::positive, 0.38},
  };
  static constexpr SettingSpec kSettings[] = {{"agents", 1000, 1, 1e8, true}, {"steps", 30, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"adopted"};
  static constexpr int kAgentFields = 1;
  enum Slot : uint32_t { kSlotAdoption };

  template <class S>
  struct State {
    AgentArray<S> adopted;  // 1 once adopted (a fraction under the relaxed estimator)
    S adopted_fraction;
  };

  template <class S, class Team>
  AG_HD static void init(Team& team, const S*, const double*, State<S>& state) {
    using T = RealOf<S>;
    state.adopted = team.agent_field(0);
    team.for_each_agent([&](int i) { state.adopted.set(i, S(T(0))); });
    state.adopted_fraction = S(T(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const S adoption_probability = -expm1(-(theta[kInnovation] + theta[kImitation] * state.adopted_fraction));
    const auto adoption_uniforms = team.uniforms(t, kSlotAdoption);
    const S adopters = team.sum([&](int i) {
      const S adopted = state.adopted.get(i);
      const S now = adopted + (T(1) - adopted) * team.bernoulli(adoption_probability, adoption_uniforms(i));
      state.adopted.set(i, now);
      return now;
    });
    state.adopted_fraction = adopters / T(team.agents());
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.adopted_fraction;
  }
};

}  // namespace ag
