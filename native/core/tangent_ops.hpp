// Small helpers that let single-source code build values whose tangents come from elsewhere
// (straight-through and smoothed estimators) without caring whether the scalar is a Dual.
#pragma once

#include "config.hpp"
#include "dual.hpp"

namespace ag {

// A value `v` whose tangents are `scale` times those of `source`.
template <class T>
AG_HD AG_INLINE T with_scaled_tangents(T v, T /*source*/, T /*scale*/) {
  return v;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> with_scaled_tangents(T v, const Dual<T, K>& source, T scale) {
  Dual<T, K> r(v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = scale * source.d[k];
  return r;
}

// A value `v` whose tangents are `scale_a` times those of `a` plus `scale_b` times those of `b`.
template <class T>
AG_HD AG_INLINE T with_combined_tangents(T v, T /*a*/, T /*scale_a*/, T /*b*/, T /*scale_b*/) {
  return v;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> with_combined_tangents(T v, const Dual<T, K>& a, T scale_a, const Dual<T, K>& b, T scale_b) {
  Dual<T, K> r(v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = scale_a * a.d[k] + scale_b * b.d[k];
  return r;
}

// `base` with `scale` times the tangents of `source` added to its own.
template <class T>
AG_HD AG_INLINE T plus_scaled_tangents(T base, T /*source*/, T /*scale*/) {
  return base;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> plus_scaled_tangents(const Dual<T, K>& base, const Dual<T, K>& source, T scale) {
  Dual<T, K> r = base;
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] += scale * source.d[k];
  return r;
}

// The value `v` with the tangents of `source` (straight-through).
template <class S>
AG_HD AG_INLINE S with_tangents_of(RealOf<S> v, const S& source) {
  return with_scaled_tangents(v, source, RealOf<S>(1));
}

// `condition ? a : b` per component, so that agent loops stay branch-free.
template <class T>
AG_HD AG_INLINE T select(bool condition, T a, T b) {
  return condition ? a : b;
}
template <class T, int K>
AG_HD AG_INLINE Dual<T, K> select(bool condition, const Dual<T, K>& a, const Dual<T, K>& b) {
  Dual<T, K> r(condition ? a.v : b.v);
  AG_UNROLL_TANGENTS
  for (int k = 0; k < K; ++k) r.d[k] = condition ? a.d[k] : b.d[k];
  return r;
}

// Writes `x` into K tangent lanes (those past the scalar's own count are zero).
template <class T>
AG_HD AG_INLINE void store_tangents(T, T* out, int lanes) {
  for (int k = 0; k < lanes; ++k) out[k] = T(0);
}
// The loop over the compile-time K keeps x.d in registers on GPU (a runtime index would not).
template <class T, int K>
AG_HD AG_INLINE void store_tangents(const Dual<T, K>& x, T* out, int lanes) {
  for (int k = 0; k < K; ++k) {
    if (k < lanes) out[k] = x.d[k];
  }
  for (int k = K; k < lanes; ++k) out[k] = T(0);
}

}  // namespace ag
