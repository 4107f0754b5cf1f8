// Continuous variates from Philox words. Every draw is keyed by
// (seed, replicate, agent, step, slot): the seed is the Philox key, the other four the counter.
// Replicate-level draws (one value shared by all agents) use the agent index kCommonAgent.
#pragma once

#include <cstdint>

#include "config.hpp"
#include "dual.hpp"
#include "philox.hpp"

namespace ag {

constexpr uint32_t kCommonAgent = 0xFFFFFFFFu;

struct DrawKey {
  uint64_t seed;
  uint32_t replicate;
};

AG_HD AG_INLINE Philox4x32Counter draw_words(const DrawKey& key, uint32_t agent, uint32_t step,
                                             uint32_t slot) {
  const Philox4x32Key philox_key{{static_cast<uint32_t>(key.seed), static_cast<uint32_t>(key.seed >> 32)}};
  return philox4x32<10>(Philox4x32Counter{{key.replicate, agent, step, slot}}, philox_key);
}

// Uniforms strictly inside (0, 1): the midpoint of one of 2^23 (float) or 2^52 (double) equal
// cells, so that log(u), log(1 - u) and logit(u) are always finite.
template <class T>
struct OpenUniform;
template <>
struct OpenUniform<float> {
  AG_HD AG_INLINE static float from(uint32_t w0, uint32_t) {
    return (static_cast<float>(w0 >> 9) + 0.5f) * 1.1920928955078125e-07f;  // 2^-23
  }
};
template <>
struct OpenUniform<double> {
  AG_HD AG_INLINE static double from(uint32_t w0, uint32_t w1) {
    const uint64_t bits = (static_cast<uint64_t>(w0) << 32 | w1) >> 12;
    return (static_cast<double>(bits) + 0.5) * 2.220446049250313e-16;  // 2^-52
  }
};

template <class T>
AG_HD AG_INLINE T uniform_from_words(const Philox4x32Counter& w) {
  return OpenUniform<T>::from(w.v[0], w.v[1]);
}

// Box–Muller on the two uniforms one Philox call provides (words 0-1 and 2-3).
template <class T>
AG_HD AG_INLINE T normal_from_words(const Philox4x32Counter& w) {
  const T u1 = OpenUniform<T>::from(w.v[0], w.v[1]);
  const T u2 = OpenUniform<T>::from(w.v[2], w.v[3]);
  return sqrt(T(-2) * log(u1)) * cos(T(6.283185307179586) * u2);
}

// Standard logistic: logit(u) = log(u) - log(1 - u).
template <class T>
AG_HD AG_INLINE T logistic_from_uniform(T u) {
  return log(u) - log1p(-u);
}

// Standard Gumbel: -log(-log u).
template <class T>
AG_HD AG_INLINE T gumbel_from_uniform(T u) {
  return -log(-log(u));
}

}  // namespace ag
