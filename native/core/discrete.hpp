// Bernoulli draws and hard thresholds, each with an estimator mode that decides the primal value
// and the tangent (see DESIGN.md, "Discrete randomness and thresholds").
#pragma once

#include <cstdint>

#include "config.hpp"
#include "dual.hpp"
#include "random.hpp"
#include "tangent_ops.hpp"

namespace ag {

enum class DiscreteMode : int32_t {
  exact = 0,             // exact sample, zero tangent
  relaxed = 1,           // Concrete / sigmoid surrogate as the value, with its tangent
  straight_through = 2,  // exact sample, tangent of the relaxed surrogate
  smoothed = 3,          // exact sample, stochastic-derivative smoothing (unbiased for Bernoulli)
  score = 4,             // exact sample, zero tangent, d log p(sample) accumulated per replicate
};

struct DiscreteOptions {
  DiscreteMode mode;
  double temperature;  // tau of the Concrete relaxation of Bernoulli draws
  double sharpness;    // k of the sigmoid surrogate sigmoid(k (x - a)) of thresholds
};

// logit(p) = log p - log(1 - p); at p outside (0, 1), where a draw is deterministic, -inf or +inf
// with zero tangents, so that sigmoid(logit(p) + noise) is exactly 0 or 1 there.
template <class S>
AG_HD AG_INLINE S logit_of_probability(const S& p) {
  using T = RealOf<S>;
  const T pv = value(p);
  const T infinity = T(__builtin_huge_val());
  const S inside = log(p) - log1p(-p);
  return select(pv > T(0), select(pv < T(1), inside, S(infinity)), S(-infinity));
}

// Concrete (binary Gumbel-softmax) relaxation: sigmoid((logit p + L) / tau) with L = logit(1 - u),
// so that its hard limit is exactly 1[u < p]. At p in {0, 1} the draw is deterministic. Only the
// noise depends on the agent, so agent loops stay branch-free and vectorise.
template <class S>
AG_HD AG_INLINE S relaxed_bernoulli(const S& p, RealOf<S> u, RealOf<S> tau) {
  const RealOf<S> noise = log((RealOf<S>(1) - u) / u);  // one log; 1 - u is exact (random.hpp)
  return sigmoid((logit_of_probability(p) + noise) / tau);
}

// One Bernoulli(p) draw from the uniform u. In score mode, log p(sample) and its tangents are
// added to `log_prob`.
template <class S>
AG_HD AG_INLINE S bernoulli(const S& p, RealOf<S> u, const DiscreteOptions& options, S& log_prob) {
  using T = RealOf<S>;
  const T pv = value(p);
  const bool success = u < pv;
  const T hard = success ? T(1) : T(0);
  // Without tangents only the value matters: every mode but relaxed is the exact sample.
  constexpr bool kValueOnly = ScalarTraits<S>::tangents == 0;
  if (kValueOnly && (options.mode == DiscreteMode::straight_through || options.mode == DiscreteMode::smoothed)) return S(hard);
  switch (options.mode) {
    case DiscreteMode::relaxed:
      return relaxed_bernoulli(p, u, T(options.temperature));
    case DiscreteMode::straight_through:
      return with_tangents_of(hard, relaxed_bernoulli(p, u, T(options.temperature)));
    case DiscreteMode::smoothed: {
      // E[tangent] = (1 - p) dp / (2 (1 - p)) + p dp / (2 p) = dp.
      const T on_success = T(0.5) / pv;
      const T on_failure = T(0.5) / (T(1) - pv);
      return with_scaled_tangents(hard, p, success ? on_success : on_failure);
    }
    case DiscreteMode::score:
      log_prob += success ? log(p) : log1p(-p);
      return S(hard);
    case DiscreteMode::exact:
    default:
      return S(hard);
  }
}

// The hard threshold 1[x > a]. Its surrogate is sigmoid(k (x - a)); score mode has no density to
// differentiate for a deterministic threshold, so it behaves as exact there.
template <class S>
AG_HD AG_INLINE S above(const S& x, const S& a, const DiscreteOptions& options) {
  using T = RealOf<S>;
  const T hard = value(x) > value(a) ? T(1) : T(0);
  constexpr bool kValueOnly = ScalarTraits<S>::tangents == 0;
  if (kValueOnly && (options.mode == DiscreteMode::straight_through || options.mode == DiscreteMode::smoothed)) return S(hard);
  switch (options.mode) {
    case DiscreteMode::relaxed:
      return sigmoid(T(options.sharpness) * (x - a));
    case DiscreteMode::straight_through:
    case DiscreteMode::smoothed:
      return with_tangents_of(hard, sigmoid(T(options.sharpness) * (x - a)));
    case DiscreteMode::score:
    case DiscreteMode::exact:
    default:
      return S(hard);
  }
}

}  // namespace ag
