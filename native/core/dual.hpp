// Dual<T, K>: a value and K forward-mode tangents. Every arithmetic and math function propagates
// the tangents by the chain rule; comparisons look at the value only. The scalar overloads of the
// same functions let a model be written once over `float`, `double` or `Dual<T, K>`.
#pragma once

#include <cmath>

#include "config.hpp"
#include "float_math.hpp"

namespace ag {

template <class T, int K>
struct Dual {
  static_assert(K >= 1, "Dual needs at least one tangent; use the plain scalar for none");
  T v;
  T d[K];

  AG_HD AG_INLINE Dual() : v(T(0)) {
    AG_UNROLL_TANGENTS
    for (int k = 0; k < K; ++k) d[k] = T(0);
  }
  AG_HD AG_INLINE Dual(T value) : v(value) {  // NOLINT: constants promote implicitly
    AG_UNROLL_TANGENTS
    for (int k = 0; k < K; ++k) d[k] = T(0);
  }
  AG_HD AG_INLINE static Dual variable(T value, int lane) {
    Dual x(value);
    x.d[lane] = T(1);
    return x;
  }
};

// ---- traits: what scalar a type carries and how many tangents ------------------------------

template <class S>
struct ScalarTraits {
  using Real = S;
  static constexpr int tangents = 0;
};
template <class T, int K>
struct ScalarTraits<Dual<T, K>> {
  using Real = T;
  static constexpr int tangents = K;
};
template <class S>
using RealOf = typename ScalarTraits<S>::Real;

template <class T>
AG_HD AG_INLINE T value(T x) { return x; }
template <class T, int K>
AG_HD AG_INLINE T value(const Dual<T, K>& x) { return x.v; }

template <class T>
AG_HD AG_INLINE T tangent(T, int) { return T(0); }
template <class T, int K>
AG_HD AG_INLINE T tangent(const Dual<T, K>& x, int k) { return x.d[k]; }

// Applies a unary function whose derivative at x.v is `slope`.
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> chain(T fx, T slope, const Dual<T, K>& x) {
  Dual<T, K> r(fx);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = slope * x.d[k];
  return r;
}

// ---- arithmetic --------------------------------------------------------------------------

template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator-(const Dual<T, K>& a) {
  return chain(-a.v, T(-1), a);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator+(const Dual<T, K>& a, const Dual<T, K>& b) {
  Dual<T, K> r(a.v + b.v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator-(const Dual<T, K>& a, const Dual<T, K>& b) {
  Dual<T, K> r(a.v - b.v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator*(const Dual<T, K>& a, const Dual<T, K>& b) {
  Dual<T, K> r(a.v * b.v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator/(const Dual<T, K>& a, const Dual<T, K>& b) {
  const T inv = T(1) / b.v;
  const T q = a.v * inv;
  Dual<T, K> r(q);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = (a.d[k] - q * b.d[k]) * inv;
  return r;
}

// Mixed Dual/constant forms, so `2 * x` and `x / n` need no explicit conversion. The constant has
// no tangents, so they never multiply an infinite value by a zero tangent.
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator+(const Dual<T, K>& a, T b) { return chain(a.v + b, T(1), a); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator-(const Dual<T, K>& a, T b) { return chain(a.v - b, T(1), a); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator*(const Dual<T, K>& a, T b) { return chain(a.v * b, b, a); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator/(const Dual<T, K>& a, T b) {
  const T inv = T(1) / b;
  return chain(a.v * inv, inv, a);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator+(T a, const Dual<T, K>& b) { return chain(a + b.v, T(1), b); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator-(T a, const Dual<T, K>& b) { return chain(a - b.v, T(-1), b); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator*(T a, const Dual<T, K>& b) { return chain(a * b.v, a, b); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> operator/(T a, const Dual<T, K>& b) { return Dual<T, K>(a) / b; }

template <class T, int K, class U>
AG_HD AG_INLINE Dual<T, K>& operator+=(Dual<T, K>& a, const U& b) { return a = a + b; }
template <class T, int K, class U>
AG_HD AG_INLINE Dual<T, K>& operator-=(Dual<T, K>& a, const U& b) { return a = a - b; }
template <class T, int K, class U>
AG_HD AG_INLINE Dual<T, K>& operator*=(Dual<T, K>& a, const U& b) { return a = a * b; }
template <class T, int K, class U>
AG_HD AG_INLINE Dual<T, K>& operator/=(Dual<T, K>& a, const U& b) { return a = a / b; }

// ---- comparisons act on the value ----------------------------------------------------------

#define AG_DUAL_COMPARISON(op)                                                                                 \
  template <class T, int K>                                                                                    \
  AG_HD AG_INLINE bool operator op(const Dual<T, K>& a, const Dual<T, K>& b) { return a.v op b.v; }          \
  template <class T, int K>                                                                                    \
  AG_HD AG_INLINE bool operator op(const Dual<T, K>& a, T b) { return a.v op b; }                            \
  template <class T, int K>                                                                                    \
  AG_HD AG_INLINE bool operator op(T a, const Dual<T, K>& b) { return a op b.v; }
AG_DUAL_COMPARISON(<)
AG_DUAL_COMPARISON(<=)
AG_DUAL_COMPARISON(>)
AG_DUAL_COMPARISON(>=)
AG_DUAL_COMPARISON(==)
AG_DUAL_COMPARISON(!=)
#undef AG_DUAL_COMPARISON

// ---- math functions: scalar overloads first, then the tangent rules ------------------------

AG_HD AG_INLINE float exp(float x) { return float_math::exp(x); }
AG_HD AG_INLINE double exp(double x) { return ::exp(x); }
AG_HD AG_INLINE float log(float x) { return float_math::log(x); }
AG_HD AG_INLINE double log(double x) { return ::log(x); }
AG_HD AG_INLINE float log1p(float x) { return float_math::log1p(x); }
AG_HD AG_INLINE double log1p(double x) { return ::log1p(x); }
AG_HD AG_INLINE float expm1(float x) { return ::expm1f(x); }
AG_HD AG_INLINE double expm1(double x) { return ::expm1(x); }
AG_HD AG_INLINE float sqrt(float x) { return ::sqrtf(x); }
AG_HD AG_INLINE double sqrt(double x) { return ::sqrt(x); }
AG_HD AG_INLINE float pow(float x, float y) { return ::powf(x, y); }
AG_HD AG_INLINE double pow(double x, double y) { return ::pow(x, y); }
AG_HD AG_INLINE float abs(float x) { return ::fabsf(x); }
AG_HD AG_INLINE double abs(double x) { return ::fabs(x); }
AG_HD AG_INLINE float tanh(float x) { return ::tanhf(x); }
AG_HD AG_INLINE double tanh(double x) { return ::tanh(x); }
AG_HD AG_INLINE float cos(float x) { return ::cosf(x); }
AG_HD AG_INLINE double cos(double x) { return ::cos(x); }

// sigmoid(x) = 1 / (1 + e^-x), from e^-|x| so that neither tail overflows, and without branches;
// one division serves both sides.
template <class T>
AG_HD AG_INLINE T sigmoid(T x) {
  const T e = exp(-abs(x));
  const T positive_side = T(1) / (T(1) + e);
  return x >= T(0) ? positive_side : e * positive_side;
}
// sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)) = e / (1 + e)^2 with e = e^-|x|: even in x, and without
// the cancellation in 1 - sigmoid(x) that makes it 0 for large x. Shares e and 1 / (1 + e) with
// sigmoid(x), so compilers compute them once where both are taken.
template <class T>
AG_HD AG_INLINE T sigmoid_slope(T x) {
  const T e = exp(-abs(x));
  const T positive_side = T(1) / (T(1) + e);
  return e * positive_side * positive_side;
}
// softplus(x) = log(1 + e^x), exact in both tails.
template <class T>
AG_HD AG_INLINE T softplus(T x) {
  return (x > T(0) ? x : T(0)) + log1p(exp(-abs(x)));
}
template <class T>
AG_HD AG_INLINE T min(T a, T b) { return b < a ? b : a; }
template <class T>
AG_HD AG_INLINE T max(T a, T b) { return a < b ? b : a; }

template <class T, int K>
AG_HD AG_INLINE Dual<T, K> exp(const Dual<T, K>& x) {
  const T e = exp(x.v);
  return chain(e, e, x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> log(const Dual<T, K>& x) { return chain(log(x.v), T(1) / x.v, x); }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> log1p(const Dual<T, K>& x) {
  return chain(log1p(x.v), T(1) / (T(1) + x.v), x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> expm1(const Dual<T, K>& x) {
  return chain(expm1(x.v), exp(x.v), x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> sqrt(const Dual<T, K>& x) {
  const T s = sqrt(x.v);
  return chain(s, T(0.5) / s, x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> abs(const Dual<T, K>& x) {
  return chain(abs(x.v), x.v < T(0) ? T(-1) : T(1), x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> tanh(const Dual<T, K>& x) {
  const T t = tanh(x.v);
  return chain(t, T(1) - t * t, x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> sigmoid(const Dual<T, K>& x) {
  return chain(sigmoid(x.v), sigmoid_slope(x.v), x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> softplus(const Dual<T, K>& x) {
  return chain(softplus(x.v), sigmoid(x.v), x);
}
// x^y with both arguments carrying tangents: d = y x^(y-1) dx + x^y log(x) dy.
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> pow(const Dual<T, K>& x, const Dual<T, K>& y) {
  const T p = pow(x.v, y.v);
  const T dx = y.v * pow(x.v, y.v - T(1));
  // x^y log x -> 0 as x -> 0+ for y > 0; avoid 0 * -inf.
  const T dy = p == T(0) ? T(0) : p * log(x.v);
  Dual<T, K> r(p);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = dx * x.d[k] + dy * y.d[k];
  return r;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> pow(const Dual<T, K>& x, T y) {
  return chain(pow(x.v, y), y * pow(x.v, y - T(1)), x);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> pow(T x, const Dual<T, K>& y) {
  const T p = pow(x, y.v);
  return chain(p, p == T(0) ? T(0) : p * log(x), y);
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> min(const Dual<T, K>& a, const Dual<T, K>& b) { return b.v < a.v ? b : a; }
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> max(const Dual<T, K>& a, const Dual<T, K>& b) { return a.v < b.v ? b : a; }

}  // namespace ag
