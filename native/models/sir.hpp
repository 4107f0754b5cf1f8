// Mean-field agent SIR. Each agent is susceptible, infected or recovered (under the relaxed
// estimator a mixture: the three amounts sum to 1). Initial infection ~ Bernoulli(I0); each step a
// susceptible agent is infected with p_inf = 1 - exp(-beta I/N dt) and an agent infected before
// the step recovers with p_rec = 1 - exp(-gamma dt).
// Outputs, as fractions of N: new infections and new recoveries of each day; day 0 reports the
// initial infections.
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"
#include "../core/sum_pair.hpp"
#include "model_spec.hpp"

namespace ag {

struct Sir {
  static constexpr const char* kName = "sir";
  enum Parameter { kBeta, kGamma, kInitialInfected };
  static constexpr ParameterSpec kParameters[] = {
      {"beta", Constraint::positive, 0.2},
      {"gamma", Constraint::positive, 0.05},
      {"I0", Constraint::unit, 0.01},
  };
  enum Setting { kAgents, kSteps, kDt };
  static constexpr SettingSpec kSettings[] = {
      {"agents", 10000, 1, 1e8, true},
      {"steps", 60, 1, 1e6, true},
      {"dt", 1, 1e-6, 1e3, false},
  };
  static constexpr const char* kOutputs[] = {"newInfections", "newRecoveries"};
  static constexpr int kAgentFields = 2;
  enum Slot : uint32_t { kSlotInitial, kSlotInfection, kSlotRecovery };

  template <class S>
  struct State {
    AgentArray<S> susceptible;
    AgentArray<S> infected;
    S infected_total;
    S new_infections;
    S new_recoveries;
  };

  template <class S, class Team>
  AG_HD static void init(Team& team, const S* theta, const double*, State<S>& state) {
    using T = RealOf<S>;
    state.susceptible = team.agent_field(0);
    state.infected = team.agent_field(1);
    const auto initial_uniforms = team.uniforms(0, kSlotInitial);
    state.infected_total = team.sum([&](int i) {
      const S infected = team.bernoulli(theta[kInitialInfected], initial_uniforms(i));
      state.infected.set(i, infected);
      state.susceptible.set(i, T(1) - infected);
      return infected;
    });
    state.new_infections = state.infected_total / T(team.agents());
    state.new_recoveries = S(T(0));
  }

  template <class S, class Team>
  AG_HD static void step(Team& team, const S* theta, const double* settings, State<S>& state, int t) {
    using T = RealOf<S>;
    const T agents = T(team.agents());
    const T dt = T(settings[kDt]);
    const S infection_probability = -expm1(-theta[kBeta] * (state.infected_total / agents) * dt);
    const S recovery_probability = -expm1(-theta[kGamma] * dt);
    const auto infection_uniforms = team.uniforms(t, kSlotInfection);
    const auto recovery_uniforms = team.uniforms(t, kSlotRecovery);
    const SumPair<S> flows = team.sum_pair([&](int i) {
      const S susceptible = state.susceptible.get(i);
      const S infected = state.infected.get(i);
      const S infection = susceptible * team.bernoulli(infection_probability, infection_uniforms(i));
      const S recovery = infected * team.bernoulli(recovery_probability, recovery_uniforms(i));
      state.susceptible.set(i, susceptible - infection);
      state.infected.set(i, infected + infection - recovery);
      return SumPair<S>{infection, recovery};
    });
    const S infections = flows.first, recoveries = flows.second;
    state.infected_total = state.infected_total + infections - recoveries;
    state.new_infections = infections / agents;
    state.new_recoveries = recoveries / agents;
  }

  template <class S>
  AG_HD static void observe(const State<S>& state, S* outputs) {
    outputs[0] = state.new_infections;
    outputs[1] = state.new_recoveries;
  }
};

}  // namespace ag
