// The execution contract models are written against. A team simulates one replicate; the CPU
// backend runs it as a loop on one thread, the CUDA backend as one thread block. A backend's team
// derives from TeamDraws<S> and adds:
//
//   int agents() const;
//   AgentArray<S> agent_field(int field);          // per-agent storage owned by the backend
//   template <class F> void for_each_agent(F f);   // f(i) once for every agent i; the team is in
//                                                  // step again when it returns (a barrier on GPU)
//   template <class F> S sum(F f);                 // sum over agents of f(i), f called once per
//                                                  // agent, may update agent i; every member
//                                                  // of the team receives the total
//   bool is_leader() const;                        // exactly one member writes replicate outputs
//   S total_log_prob();                            // score mode: sum of all members' log p
//
// Model code must reach every team call in uniform control flow (all members take the same path),
// and touch another agent's state only after a for_each_agent or sum has returned.
#pragma once

#include <cstdint>

#include "config.hpp"
#include "discrete.hpp"
#include "dual.hpp"
#include "random.hpp"

namespace ag {

template <class S>
class TeamDraws {
 public:
  using Scalar = S;
  using Real = RealOf<S>;

  AG_HD TeamDraws(DrawKey key, DiscreteOptions discrete) : key_(key), discrete_(discrete), log_prob_(Real(0)) {}

  AG_HD AG_INLINE uint32_t replicate() const { return key_.replicate; }
  AG_HD AG_INLINE const DiscreteOptions& discrete() const { return discrete_; }

  AG_HD AG_INLINE Real uniform(uint32_t agent, uint32_t step, uint32_t slot) const {
    return uniform_from_words<Real>(draw_words(key_, agent, step, slot));
  }
  AG_HD AG_INLINE Real normal(uint32_t agent, uint32_t step, uint32_t slot) const {
    return normal_from_words<Real>(draw_words(key_, agent, step, slot));
  }
  // One standard normal shared by every agent of the replicate at this step.
  AG_HD AG_INLINE Real common_normal(uint32_t step, uint32_t slot) const {
    return normal(kCommonAgent, step, slot);
  }
  AG_HD AG_INLINE S bernoulli(const S& p, uint32_t agent, uint32_t step, uint32_t slot) {
    return ag::bernoulli(p, uniform(agent, step, slot), discrete_, log_prob_);
  }
  // 1[x > a] under the team's estimator mode.
  AG_HD AG_INLINE S above(const S& x, const S& a) const { return ag::above(x, a, discrete_); }

 protected:
  DrawKey key_;
  DiscreteOptions discrete_;
  S log_prob_;  // this member's share of log p(draws), score mode only
};

}  // namespace ag
