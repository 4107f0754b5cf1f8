// SIR on a contact graph (CSR, see core/graph_view.hpp). A susceptible agent with m infected
// neighbours is infected with p_inf = 1 - (1 - beta)^m; an agent infected before the step recovers
// with p_rec = 1 - exp(-gamma). Every agent reads its neighbours' infection from the previous step
// (two buffers swapped each step), so the update is synchronous. Under the relaxed estimator m is
// the sum of the neighbours' infected amounts. Outputs: infected and recovered counts.
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "../core/graph_view.hpp"
#include "../core/sum_pair.hpp"
#include "../core/tangent_ops.hpp"
#include "model_spec.hpp"

namespace ag {

struct NetworkSir {
  static constexpr const char* kName = "networkSir";
  static constexpr bool kUsesGraph = true;
  enum Parameter { kBeta, kGamma, kInitialInfected };
  static constexpr ParameterSpec kParameters[] = {
      {"beta", Constraint::unit, 0.02},
      {"gamma", Constraint::positive, 0.05},
      {"I0", Constraint::unit, 0.01},
  };
  enum Setting { kAgents, kSteps };
  static constexpr SettingSpec kSettings[] = {{"agents", 1000, 1, 1e8, true}, {"steps", 60, 1, 1e6, true}};
  static constexpr const char* kOutputs[] = {"infected", "recovered"};
  static constexpr int kAgentFields = 3;
  enum Slot : uint32_t { kSlotInitial, kSlotInfection, kSlotRecovery };

  template <class S>
  struct State {
    AgentArray<S> susceptible;
    AgentArray<S> infected[2];  // [current]: the last completed step; the other is written next
    int current;
    S infected_total;
    S recovered_total;
  };

  template <class S, class Team>
  AG_HD static void init(Team& team, const S* theta, const double*, State<S>& state) {
    using T = RealOf<S>;
    state.susceptible = team.agent_field(0);
    state.infected[0] = team.agent_field(1);
    state.infected[1] = team.agent_field(2);
    state.current = 0;
    const auto initial_uniforms = team.uniforms(0, kSlotInitial);
    state.infected_total = team.sum([&](int i) {
      const S infected = team.bernoulli(theta[kInitialInfected], initial_uniforms(i));
      state.infected[0].set(i, infected);
      state.susceptible.set(i, T(1) - infected);
      return infected;
    });
    state.recovered_total = S(T(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double*, State<S>& state, int t) {
    using T = RealOf<S>;
    const AgentArray<S> before = state.infected[state.current];
    const AgentArray<S> after = state.infected[1 - state.current];
    const GraphView graph = team.graph();
    const S log_escape = log1p(-theta[kBeta]);  // log of (1 - beta), the chance one contact does not infect
    const S recovery_probability = -expm1(-theta[kGamma]);
    const auto infection_uniforms = team.uniforms(t, kSlotInfection);
    const auto recovery_uniforms = team.uniforms(t, kSlotRecovery);
    const SumPair<S> totals = team.sum_pair([&](int i) {
      S pressure(T(0));
      for (int32_t e = graph.first_edge(i); e < graph.end_edge(i); ++e) pressure += before.get(graph.neighbour(e));
      // 0 * log(0) at beta = 1 and no infected neighbour would be NaN; the probability is 0 there.
      const S infection_probability = select(value(pressure) > T(0), -expm1(pressure * log_escape), S(T(0)));
      const S susceptible = state.susceptible.get(i);
      const S infected = before.get(i);
      const S infection = susceptible * team.bernoulli(infection_probability, infection_uniforms(i));
      const S recovery = infected * team.bernoulli(recovery_probability, recovery_uniforms(i));
      const S susceptible_after = susceptible - infection;
      const S infected_after = infected + infection - recovery;
      state.susceptible.set(i, susceptible_after);
      after.set(i, infected_after);
      return SumPair<S>{infected_after, susceptible_after};
    });
    state.infected_total = totals.first;
    state.recovered_total = T(team.agents()) - totals.second - state.infected_total;
    state.current = 1 - state.current;
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.infected_total;
    outputs[1] = state.recovered_total;
  }
};

}  // namespace ag
