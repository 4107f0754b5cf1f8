// The execution contract models are written against. A team simulates one replicate; the CPU
// backend runs it as a loop on one thread, the CUDA backend as one thread block. A backend's team
// derives from TeamDraws<S> and adds:
//
//   int agents() const;
//   GraphView graph() const;                       // (from TeamDraws) the contact graph, if any
//   AgentArray<S> agent_field(int field);          // per-agent storage owned by the backend
//   template <class F> void for_each_agent(F f);   // f(i) once for every agent i; the team is in
//                                                  // step again when it returns (a barrier on GPU)
//   template <class F> S sum(F f);                 // sum over agents of f(i), f called once per
//                                                  // agent, may update agent i; every member
//                                                  // of the team receives the total
//   template <class F> SumPair<A, B> sum_pair(F f); // as sum, for an f(i) of two values summed
//                                                  // separately, in one pass over the agents;
//                                                  // A and B are each S or RealOf<S>
//   bool is_leader() const;                        // exactly one member writes replicate outputs
//   S total_log_prob();                            // score mode: sum of all members' log p
//
// and may replace uniforms(step, slot) and normals(step, slot) with a faster form of the same
// numbers: the handle they return gives u(i) == uniform(i, step, slot) (z(i) == normal(i, step,
// slot)), read only inside the next for_each_agent or sum and only for the agent being visited (the
// CPU team draws them a tile of agents at a time).
//
// Model code must reach every team call in uniform control flow (all members take the same path),
// and touch another agent's state only after a for_each_agent or sum has returned.
#pragma once

#include <cstdint>

#include "config.hpp"
#include "discrete.hpp"
#include "dual.hpp"
#include "graph_view.hpp"
#include "random.hpp"
#include "sum_pair.hpp"

namespace ag {

// Where a team's estimator mode comes from: the run-time options (one GPU kernel serves every
// mode), or a compile-time constant (the CPU, whose agent loops then carry no mode branches). The
// same goes for whether Concrete draws take the whole-power form (relaxed_bernoulli); the CPU
// fixes that choice at compile time too, and reads the exponent at run time or, for the default
// one, compiles it in.
struct ModeFromOptions {
  static constexpr int32_t kCompiledWholePower = 0;
  // Whether the mode is score, fixed at compile time (the CPU team then sums in agent order): a
  // run-time mode never serves score mode on the CPU.
  static constexpr bool kFixedScore = false;
  static constexpr bool kContinuous = false;
  AG_HD AG_INLINE static DiscreteMode of(const DiscreteOptions& options) { return options.mode; }
  AG_HD AG_INLINE static int32_t whole_inverse_temperature(const DiscreteOptions& options) {
    return options.whole_inverse_temperature;
  }
};

// FixedMode's WholePower: no whole-power form, the exponent of the options, or (> 0) that exponent.
constexpr int32_t kNoWholePower = 0;
constexpr int32_t kRunTimeWholePower = -1;

template <DiscreteMode M, int32_t WholePower = kNoWholePower>
struct FixedMode {
  static constexpr int32_t kCompiledWholePower = WholePower > 0 ? WholePower : 0;
  static constexpr bool kFixedScore = M == DiscreteMode::score;
  static constexpr bool kContinuous = false;
  AG_HD AG_INLINE static constexpr DiscreteMode of(const DiscreteOptions&) { return M; }
  // At least 1 where the kernel was chosen for a whole 1/tau, which the compiler can see: the
  // draws' test of the exponent folds away.
  AG_HD AG_INLINE static int32_t whole_inverse_temperature(const DiscreteOptions& options) {
    if (WholePower == kNoWholePower) return 0;
    if (WholePower > 0) return WholePower;
    return options.whole_inverse_temperature > 1 ? options.whole_inverse_temperature : 1;
  }
};

// The mode of a model without discrete draws or thresholds (it declares kContinuous = true): its
// code is the same in every mode but score, whose sums run in agent order on the CPU, so the CPU
// builds its kernels for exact and score only. A discrete draw under this mode does not compile.
template <DiscreteMode M>
struct ContinuousMode : FixedMode<M> {
  static constexpr bool kContinuous = true;
};

template <class S, class Mode = ModeFromOptions>
class TeamDraws {
 public:
  using Scalar = S;
  using Real = RealOf<S>;

  // The uniforms of every agent at one (step, slot), each computed where it is read.
  struct Uniforms {
    DrawKey key;
    uint32_t step;
    uint32_t slot;
    AG_HD AG_INLINE Real operator()(int agent) const { return uniform_draw<Real>(key, agent, step, slot); }
  };
  // The standard normals of every agent at one (step, slot), each computed where it is read.
  struct Normals {
    DrawKey key;
    uint32_t step;
    uint32_t slot;
    AG_HD AG_INLINE Real operator()(int agent) const { return normal_draw<Real>(key, agent, step, slot); }
  };

  AG_HD TeamDraws(DrawKey key, DiscreteOptions discrete, GraphView graph)
      : key_(key), discrete_(discrete), graph_(graph), log_prob_(Real(0)) {
    discrete_.whole_inverse_temperature = whole_inverse_temperature(discrete.temperature);
  }

  AG_HD AG_INLINE uint32_t replicate() const { return key_.replicate; }
  AG_HD AG_INLINE GraphView graph() const { return graph_; }
  AG_HD AG_INLINE DiscreteOptions discrete() const {
    return DiscreteOptions{Mode::of(discrete_), discrete_.temperature, discrete_.sharpness,
                           Mode::whole_inverse_temperature(discrete_)};
  }

  AG_HD AG_INLINE Real uniform(uint32_t agent, uint32_t step, uint32_t slot) const {
    return uniform_draw<Real>(key_, agent, step, slot);
  }
  AG_HD AG_INLINE Uniforms uniforms(uint32_t step, uint32_t slot) const { return Uniforms{key_, step, slot}; }
  AG_HD AG_INLINE Real normal(uint32_t agent, uint32_t step, uint32_t slot) const {
    return normal_draw<Real>(key_, agent, step, slot);
  }
  AG_HD AG_INLINE Normals normals(uint32_t step, uint32_t slot) const { return Normals{key_, step, slot}; }
  // One standard normal shared by every agent of the replicate at this step.
  AG_HD AG_INLINE Real common_normal(uint32_t step, uint32_t slot) const {
    return normal(kCommonAgent, step, slot);
  }
  // A Bernoulli(p) draw from the uniform u, under the team's estimator mode.
  AG_HD AG_INLINE S bernoulli(const S& p, Real u) {
    static_assert(!Mode::kContinuous, "a model that declares kContinuous makes a discrete draw");
    return ag::bernoulli<Mode::kCompiledWholePower>(p, u, discrete(), log_prob_);
  }
  AG_HD AG_INLINE S bernoulli(const S& p, uint32_t agent, uint32_t step, uint32_t slot) {
    return bernoulli(p, uniform(agent, step, slot));
  }
  // A Bernoulli(p) draw whose p is a fixed number (a setting), not a function of the parameters.
  // Its tangents are zero in every mode, so it is drawn on plain reals: the values of
  // bernoulli(S(p), u) without the tangent work (and, straight-through, without the surrogate).
  AG_HD AG_INLINE Real fixed_bernoulli(Real p, Real u) {
    static_assert(!Mode::kContinuous, "a model that declares kContinuous makes a discrete draw");
    Real log_prob = Real(0);
    const Real draw = ag::bernoulli(p, u, discrete(), log_prob);
    if (Mode::of(discrete_) == DiscreteMode::score) log_prob_ += S(log_prob);
    return draw;
  }
  // 1[x > a] under the team's estimator mode.
  AG_HD AG_INLINE S above(const S& x, const S& a) const {
    static_assert(!Mode::kContinuous, "a model that declares kContinuous makes a discrete draw");
    return ag::above(x, a, discrete());
  }
  // w -> 1[x > w] - 1[x < -w] under the team's estimator mode; taken once outside an agent loop
  // and evaluated inside it for each agent's w.
  AG_HD AG_INLINE DeadZoneSign<S> dead_zone_sign(const S& x) const {
    static_assert(!Mode::kContinuous, "a model that declares kContinuous makes a discrete draw");
    return DeadZoneSign<S>(x, discrete());
  }

 protected:
  DrawKey key_;
  DiscreteOptions discrete_;
  GraphView graph_;
  S log_prob_;  // this member's share of log p(draws), score mode only
};

}  // namespace ag
