// Base of the small validation models whose one output is, each step, the mean over agents of a
// quantity drawn afresh: their state is just that mean, 0 before the first step.
#pragma once

#include "../core/config.hpp"
#include "../core/dual.hpp"

namespace ag {

struct AgentMeanModel {
  static constexpr int kAgentFields = 0;

  template <class S>
  struct State {
    S mean;
  };

  template <class S, class Team>
  AG_HD static void init(Team&, const S*, const double*, State<S>& state) {
    state.mean = S(RealOf<S>(0));
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.mean;
  }

  // The mean over agents of f(i), f called once per agent.
  template <class S, class Team, class F>
  AG_HD static S agent_mean(Team& team, F&& f) {
    return team.sum(f) / RealOf<S>(team.agents());
  }
};

}  // namespace ag
