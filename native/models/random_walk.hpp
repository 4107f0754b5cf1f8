// Random walk: every agent starts at 0 and moves +1 with probability p, else -1:
// x_i(t+1) = x_i(t) + 2 xi - 1, xi ~ Bernoulli(p). Output: the mean position over agents, so
// E[x(T)] = T (2p - 1) and dE[x(T)]/dp = 2T.
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "model_spec.hpp"

namespace ag {

struct RandomWalk {
  static constexpr const char* kName = "randomWalk";
  enum Parameter { kP };
  static constexpr ParameterSpec kParameters[] = {{"p", Constraint::unit, 0.6}};
  static constexpr SettingSpec kSettings[] = {{"agents", 1000, 1, 1e8, true}, {"steps", 100, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"x"};
  static constexpr int kAgentFields = 1;
  enum Slot : uint32_t { kSlotMove };

  template <class S>
  struct State {
    AgentArray<S> position;
    S mean_position;
  };

  template <class S, class Team>
  AG_HD static void init(Team& team, const S* /*theta*/, const double* /*settings*/, State<S>& state) {
    state.position = team.agent_field(0);
    team.for_each_agent([&](int i) { state.position.set(i, S(RealOf<S>(0))); });
    state.mean_position = S(RealOf<S>(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double* /*settings*/, State<S>& state, int t) {
    using T = RealOf<S>;
    const S p = theta[kP];
    const auto move_uniforms = team.uniforms(t, kSlotMove);
    const S total = team.sum([&](int i) {
      const S move = T(2) * team.bernoulli(p, move_uniforms(i)) - T(1);
      const S x = state.position.get(i) + move;
      state.position.set(i, x);
      return x;
    });
    state.mean_position = total / T(team.agents());
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.mean_position;
  }
};

}  // namespace ag
