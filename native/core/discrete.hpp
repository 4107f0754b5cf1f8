// Bernoulli draws and hard thresholds, each with an estimator mode that decides the primal value
// and the tangent (see DESIGN.md, "Discrete randomness and thresholds").
#pragma once

#include <cstdint>

#include "bit_cast.hpp"
#include "config.hpp"
#include "dual.hpp"
#include "random.hpp"
#include "sum_pair.hpp"
#include "tangent_ops.hpp"

namespace ag {

enum class DiscreteMode : int32_t {
  exact = 0,             // exact sample, zero tangent
  relaxed = 1,           // Concrete / sigmoid surrogate as the value, with its tangent
  straight_through = 2,  // exact sample, tangent of the relaxed surrogate
  smoothed = 3,          // exact sample, stochastic-derivative smoothing (unbiased for Bernoulli)
  score = 4,             // exact sample, zero tangent, d log p(sample) accumulated per replicate
};

// Concrete draws at a whole inverse temperature n = 1/tau (the default tau = 0.1 gives 10) take
// q^n by square and multiply over the bits of n (see relaxed_bernoulli); up to this n.
constexpr int kWholePowerBits = 5;
constexpr int32_t kMaxWholeInverseTemperature = (1 << kWholePowerBits) - 1;

// 1/tau when it is a whole number from 1 to kMaxWholeInverseTemperature, else 0.
AG_HD AG_INLINE int32_t whole_inverse_temperature(double tau) {
  const double inverse = 1.0 / tau;
  const double whole = static_cast<double>(static_cast<int64_t>(inverse + 0.5));
  const double tolerance = 1e-12 * whole;
  const bool is_whole = inverse - whole <= tolerance && whole - inverse <= tolerance;
  return is_whole && whole >= 1.0 && whole <= kMaxWholeInverseTemperature ? static_cast<int32_t>(whole) : 0;
}

struct DiscreteOptions {
  DiscreteMode mode;
  double temperature;  // tau of the Concrete relaxation of Bernoulli draws
  double sharpness;    // k of the sigmoid surrogate sigmoid(k (x - a)) of thresholds
  int32_t whole_inverse_temperature = 0;  // whole_inverse_temperature(temperature), set by the team
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

// x if bit b of n is set, else 1, for x >= 0: x clamped to [0, inf] or to [1, 1]. The bounds are
// bit patterns built from the bit by masks: a select on the bit would become a branch, and the
// agent loop around it would no longer vectorise.
template <class T>
AG_HD AG_INLINE T x_if_bit(T x, int32_t n, int b) {
  using Bits = BitsOf<T>;
  const Bits clear = static_cast<Bits>(((n >> b) & 1) ^ 1);
  const Bits all_if_clear = Bits(0) - clear;  // all ones where the bit is clear
  const Bits one = bits_of(T(1)), infinity = bits_of(T(__builtin_huge_val()));
  const T lower = from_bits<T>(all_if_clear & one);
  const T upper = from_bits<T>(infinity ^ (all_if_clear & (infinity ^ one)));
  return min(max(x, lower), upper);
}

// x^n for x >= 0 and n in [1, kMaxWholeInverseTemperature]. x^n is monotone in x, so every partial
// product lies between 1 and the result and overflows only when the result does.
template <class T>
AG_HD AG_INLINE T whole_power(T x, int32_t n) {
  T result = x_if_bit(x, n, 0);
  for (int b = 1; b < kWholePowerBits; ++b) {
    x = x * x;
    result = result * x_if_bit(x, n, b);
  }
  return result;
}

// The whole inverse temperature the CPU compiles kernels for: 1/tau at the default tau = 0.1.
constexpr int32_t kCompiledWholeInverseTemperature = 10;

// x^N for an N known at compile time: whole_power(x, N)'s squarings and products without its
// factors of 1, which are exact, so the numbers are the same.
template <int32_t N, class T>
AG_HD AG_INLINE T compiled_whole_power(T x) {
  static_assert(N >= 1 && N <= kMaxWholeInverseTemperature, "a whole inverse temperature");
  T result = (N & 1) ? x : T(1);
  for (int b = 1; b < kWholePowerBits; ++b) {  // squarings past N's top bit are dead code
    x = x * x;
    if ((N >> b) & 1) result = result * x;
  }
  return result;
}

// The Concrete sample at a whole inverse temperature n, without log or exp: with
// q = (1 - p) u / (p (1 - u)), sigmoid(n (logit p + L)) = 1 / (1 + q^n). q^n overflows only where
// the sample is below 1 / (largest finite number), which then comes out as 0, and underflows only
// where the sample rounds to 1. Its derivative is s (1 - s) n / (p (1 - p)) dp, zero at p in
// {0, 1}, where the draw is deterministic. CompiledN > 0 is n, known at compile time.
template <int32_t CompiledN, class S>
AG_HD AG_INLINE S relaxed_bernoulli_whole_power(const S& p, RealOf<S> u, int32_t n) {
  using T = RealOf<S>;
  const T pv = value(p);
  const T q = ((T(1) - pv) / pv) * (u / (T(1) - u));  // 1 - u is exact (random.hpp)
  T power;
  if constexpr (CompiledN > 0) {
    power = compiled_whole_power<CompiledN>(q);
  } else {
    power = whole_power(q, n);
  }
  const T sample = T(1) / (T(1) + power);
  // s (1 - s) = q^n s^2, without the cancellation in 1 - s as s nears 1. Where q^n overflows (p = 0
  // among them) it is inf * 0 = NaN, and 0 at p = 1; there the slope is 0, since n / (p (1 - p)) is
  // infinite at p in {0, 1}, where the draw is deterministic.
  const T curvature = power * sample * sample;
  const T slope = curvature > T(0) ? curvature * (T(n) / (pv * (T(1) - pv))) : T(0);
  return with_scaled_tangents(sample, p, slope);
}

// Concrete (binary Gumbel-softmax) relaxation: sigmoid((logit p + L) / tau) with L = logit(1 - u),
// so that its hard limit is exactly 1[u < p]. At p in {0, 1} the draw is deterministic. Only the
// noise depends on the agent, so agent loops stay branch-free and vectorise. A whole 1/tau (the
// default tau = 0.1 among them) takes the power form, a fraction of the work of a log and an exp;
// CompiledN > 0 is that 1/tau, known at compile time.
template <int32_t CompiledN = 0, class S>
AG_HD AG_INLINE S relaxed_bernoulli(const S& p, RealOf<S> u, const DiscreteOptions& options) {
  using T = RealOf<S>;
  if (options.whole_inverse_temperature > 0) {
    return relaxed_bernoulli_whole_power<CompiledN>(p, u, options.whole_inverse_temperature);
  }
  const T noise = log((T(1) - u) / u);  // one log; 1 - u is exact (random.hpp)
  return sigmoid((logit_of_probability(p) + noise) / T(options.temperature));
}

// One Bernoulli(p) draw from the uniform u. In score mode, log p(sample) and its tangents are
// added to `log_prob`. CompiledN > 0 is the whole 1/tau of options, known at compile time.
template <int32_t CompiledN = 0, class S>
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
      return relaxed_bernoulli<CompiledN>(p, u, options);
    case DiscreteMode::straight_through:
      return with_tangents_of(hard, relaxed_bernoulli<CompiledN>(p, u, options));
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
    case DiscreteMode::smoothed: {
      // Only the surrogate's slope is needed, not its value.
      const T k = T(options.sharpness);
      return with_scaled_tangents(hard, x - a, k * sigmoid_slope(k * (value(x) - value(a))));
    }
    case DiscreteMode::score:
    case DiscreteMode::exact:
    default:
      return S(hard);
  }
}

template <class T>
AG_HD AG_INLINE constexpr T smallest_normal() {
  return sizeof(T) == sizeof(float) ? T(1.17549435e-38f) : T(2.2250738585072014e-308);
}

// 1[x > w] - 1[x < -w] for one x and many widths w: sign(x) outside the band [-w, w], 0 inside it,
// two hard thresholds with the surrogates sigmoid(k (x - w)) and sigmoid(k (-w - x)). Straight-
// through and smoothed take the surrogates' tangents, k s- (dx - dw) + k s+ (dx + dw) with
// s-+ = sigmoid'(k (x -+ w)), from one exp and one division per width instead of two of each
// (slopes, below). What depends on x alone is computed once, outside the agent loop: a
// loop-invariant exp inside it keeps GCC from vectorising the loop. Relaxed and the exact modes
// are the two thresholds of `above`.
template <class S>
class DeadZoneSign {
 public:
  using T = RealOf<S>;

  AG_HD DeadZoneSign(const S& x, const DiscreteOptions& options)
      : x_(x), options_(options), k_(T(options.sharpness)), abs_x_(abs(value(x))), exp_minus_centre_(exp(-(k_ * abs_x_))) {}

  AG_HD AG_INLINE S operator()(const S& w) const {
    const T wv = value(w);
    if (value_only()) return S(hard(wv));
    switch (options_.mode) {
      case DiscreteMode::relaxed:
        return above(x_, w, options_) - above(-w, x_, options_);
      case DiscreteMode::straight_through:
      case DiscreteMode::smoothed: {
        T minus, plus;
        slopes(wv, minus, plus);
        return with_combined_tangents(hard(wv), x_, k_ * (minus + plus), w, k_ * (plus - minus));
      }
      case DiscreteMode::score:
      case DiscreteMode::exact:
      default:
        return S(hard(wv));
    }
  }

  // The sum over the team's agents of the order at width(i), width called once per agent (it may
  // update agent i). Straight-through and smoothed sum the agents' orders with their tangents
  // through w alone, and the surrogates' slopes in x apart; x's tangents, which every agent
  // shares, then multiply the slopes' total once instead of each agent's slope.
  template <class Team, class Width>
  AG_HD AG_INLINE S sum_over(Team& team, Width&& width) const {
    const DiscreteMode mode = options_.mode;
    if (value_only() || (mode != DiscreteMode::straight_through && mode != DiscreteMode::smoothed)) {
      return team.sum([&](int i) { return (*this)(width(i)); });
    }
    const SumPair<S, T> parts = team.sum_pair([&](int i) { return split_at(width(i)); });
    return plus_scaled_tangents(parts.first, x_, k_ * parts.second);
  }

 private:
  // Straight-through and smoothed take no surrogate without tangents: the hard value is all.
  AG_HD AG_INLINE bool value_only() const {
    const DiscreteMode mode = options_.mode;
    return ScalarTraits<S>::tangents == 0 && (mode == DiscreteMode::straight_through || mode == DiscreteMode::smoothed);
  }

  AG_HD AG_INLINE T hard(T w) const {
    const T x = value(x_);
    return (x > w ? T(1) : T(0)) - (-w > x ? T(1) : T(0));
  }

  // The order at w with its tangents through w, and the slope in x that its tangents through x
  // take, over k: straight-through and smoothed.
  AG_HD AG_INLINE SumPair<S, T> split_at(const S& w) const {
    const T wv = value(w);
    T minus, plus;
    slopes(wv, minus, plus);
    return SumPair<S, T>{with_scaled_tangents(hard(wv), w, k_ * (plus - minus)), minus + plus};
  }

  // sigmoid'(k (x - w)) and sigmoid'(k (x + w)). With c = k |x|, m = k |w|, E = e^-c and
  // n = e^-|c - m| (taken as k ||x| - |w||, which is exact where |x| and |w| are close), the
  // arguments are, up to sign (sigmoid' is even), c - m and c + m, so
  //   sigmoid'(c - m) = n / (1 + n)^2,  sigmoid'(c + m) = f / (1 + f)^2 with f = e^-(c + m),
  // f = n E^2 (m >= c) or E^2 / n (m < c), hence sigmoid'(c + m) = E^2 n / D^2 with
  // D = 1 + n E^2 or n + E^2. One division gives 1 / (1 + n) and 1 / D; the far slope is taken as
  // A (A n) with A = E / D, whose factors (about e^-m and e^-c) are no smaller than the slope, so
  // it underflows only where the slope itself leaves the normal range.
  AG_HD AG_INLINE void slopes(T w, T& minus, T& plus) const {
    const T abs_w = abs(w);
    const T near = exp(-(k_ * abs(abs_x_ - abs_w)));
    // Both forms are computed and one selected, so that agent loops stay branch-free. D is below
    // the normal range only where n is, and then both slopes are too (E <= n): D is raised to
    // the smallest normal number there, which keeps 1 / D finite and leaves each slope below it.
    const T e2 = exp_minus_centre_ * exp_minus_centre_;
    const T wide = T(1) + near * e2;
    const T narrow = near + e2;
    const T d_raw = abs_w >= abs_x_ ? wide : narrow;
    const T d = d_raw > smallest_normal<T>() ? d_raw : smallest_normal<T>();
    const T near_plus_one = T(1) + near;
    const T inverse = T(1) / (near_plus_one * d);
    const T near_side = d * inverse;                          // 1 / (1 + n)
    const T a = exp_minus_centre_ * (near_plus_one * inverse);  // E / D
    const T near_slope = near * near_side * near_side;
    const T far_slope = a * (a * near);
    const bool same_sign = value(x_) * w >= T(0);  // then |x - w| = ||x| - |w||
    minus = same_sign ? near_slope : far_slope;
    plus = same_sign ? far_slope : near_slope;
  }

  S x_;
  DiscreteOptions options_;
  T k_, abs_x_, exp_minus_centre_;
};

}  // namespace ag
