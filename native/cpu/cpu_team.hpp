// The team contract (core/team.hpp) on one CPU thread: the agent loop is a plain loop and a
// reduction is a sequential sum, so a replicate's numbers never depend on the thread running it.
#pragma once

#include <cstddef>

#include "../core/agent_array.hpp"
#include "../core/team.hpp"

namespace ag::cpu {

template <class S>
class CpuTeam : public TeamDraws<S> {
 public:
  using Real = RealOf<S>;

  CpuTeam(DrawKey key, DiscreteOptions discrete, int agents, Real* workspace)
      : TeamDraws<S>(key, discrete), agents_(agents), workspace_(workspace) {}

  int agents() const { return agents_; }
  bool is_leader() const { return true; }
  S total_log_prob() const { return this->log_prob_; }

  AgentArray<S> agent_field(int field) {
    return AgentArray<S>::over(workspace_ + agent_fields_reals<S>(field, agents_), agents_);
  }

  template <class F>
  AG_INLINE void for_each_agent(F&& f) {
    for (int i = 0; i < agents_; ++i) f(i);
  }

  template <class F>
  AG_INLINE S sum(F&& f) {
    S total(Real(0));
    for (int i = 0; i < agents_; ++i) total += f(i);
    return total;
  }

 private:
  int agents_;
  Real* workspace_;
};

}  // namespace ag::cpu
