// Continuous variates from Philox words. Every draw is keyed by
// (seed, replicate, agent, step, slot): the seed is the Philox key, the other four the counter.
// Replicate-level draws (one value shared by all agents) use the agent index kCommonAgent.
// Uniform draws are packed: one Philox call, counter (replicate, block, step, slot | kPackedSlot),
// yields the uniforms of kUniformsPerCall<T> agents (a float uses one word, a double two); the flag
// keeps those counters apart from per-agent draws (normals). See packed_block_of for which agents.
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

AG_HD AG_INLINE Philox4x32Key philox_key_of(const DrawKey& key) {
  return Philox4x32Key{{static_cast<uint32_t>(key.seed), static_cast<uint32_t>(key.seed >> 32)}};
}

AG_HD AG_INLINE Philox4x32Counter draw_words(const DrawKey& key, uint32_t agent, uint32_t step,
                                             uint32_t slot) {
  return philox4x32<10>(Philox4x32Counter{{key.replicate, agent, step, slot}}, philox_key_of(key));
}

// Uniforms strictly inside (0, 1): the midpoint of one of 2^23 (float) or 2^52 (double) equal
// cells, so that log(u), log(1 - u) and logit(u) are always finite. Such a midpoint has a 24-bit
// (53-bit) significand, so 1 - u is exact: logit(u) = log(u / (1 - u)) takes one log, no log1p.
template <class T>
struct OpenUniform;
template <>
struct OpenUniform<float> {
  static constexpr int kDroppedBits = 9;
  static constexpr float kCellWidth = 1.1920928955078125e-07f;  // 2^-23
  AG_HD AG_INLINE static float from(uint32_t w0, uint32_t) {
    return (static_cast<float>(w0 >> kDroppedBits) + 0.5f) * kCellWidth;
  }
};
template <>
struct OpenUniform<double> {
  AG_HD AG_INLINE static double from(uint32_t w0, uint32_t w1) {
    const uint64_t bits = (static_cast<uint64_t>(w0) << 32 | w1) >> 12;
    return (static_cast<double>(bits) + 0.5) * 2.220446049250313e-16;  // 2^-52
  }
};

// cos(2 pi u) for u in (0, 1) on the CPU: a float takes the branch-free polynomial, so that agent
// loops drawing normals vectorise; a double takes libm.
AG_INLINE float host_cos_two_pi(float u) { return float_math::cos_two_pi(u); }
AG_INLINE double host_cos_two_pi(double u) { return cos(6.283185307179586 * u); }

// cos(2 pi u) for u in (0, 1). On the GPU, cospi needs no argument-reduction slow path (a called
// function, whose calling convention costs registers in every kernel that draws normals).
template <class T>
AG_HD AG_INLINE T cos_two_pi(T u) {
#if AG_DEVICE_CODE
  return cospi(T(2) * u);
#else
  return host_cos_two_pi(u);
#endif
}

// Box–Muller on two uniforms.
template <class T>
AG_HD AG_INLINE T normal_from_uniforms(T u1, T u2) {
  return sqrt(T(-2) * log(u1)) * cos_two_pi(u2);
}

// Box–Muller on the two uniforms one Philox call provides (words 0-1 and 2-3).
template <class T>
AG_HD AG_INLINE T normal_from_words(const Philox4x32Counter& w) {
  return normal_from_uniforms(OpenUniform<T>::from(w.v[0], w.v[1]), OpenUniform<T>::from(w.v[2], w.v[3]));
}

// Standard logistic: logit(u) = log(u / (1 - u)).
template <class T>
AG_HD AG_INLINE T logistic_from_uniform(T u) {
  return log(u / (T(1) - u));
}

// Standard Gumbel: -log(-log u).
template <class T>
AG_HD AG_INLINE T gumbel_from_uniform(T u) {
  return -log(-log(u));
}

constexpr uint32_t kPackedSlot = 0x80000000u;
template <class T>
constexpr uint32_t kWordsPerUniform = sizeof(T) / sizeof(uint32_t);
template <class T>
constexpr uint32_t kUniformsPerCall = 4 / kWordsPerUniform<T>;

// Packed calls come in groups of kCallsPerPackedGroup consecutive blocks, which serve as many
// agents as they yield uniforms: lane l of the group's call c is the group's agent
// kCallsPerPackedGroup * l + c. CPU code that runs a group's calls in SIMD lanes then stores each
// lane of words as one run of consecutive agents, with no transpose.
constexpr uint32_t kCallsPerPackedGroup = 16;
template <class T>
constexpr uint32_t kAgentsPerPackedGroup = kCallsPerPackedGroup * kUniformsPerCall<T>;

// The Philox call (block) holding an agent's uniform, and the agent's lane in it.
template <class T>
AG_HD AG_INLINE uint32_t packed_block_of(uint32_t agent) {
  return agent / kAgentsPerPackedGroup<T> * kCallsPerPackedGroup + agent % kCallsPerPackedGroup;
}
template <class T>
AG_HD AG_INLINE uint32_t packed_lane_of(uint32_t agent) {
  return agent / kCallsPerPackedGroup % kUniformsPerCall<T>;
}
// The inverse: the agent at `lane` of call `block`.
template <class T>
AG_HD AG_INLINE uint32_t packed_agent_of(uint32_t block, uint32_t lane) {
  return block / kCallsPerPackedGroup * kAgentsPerPackedGroup<T> + lane * kCallsPerPackedGroup +
         block % kCallsPerPackedGroup;
}

AG_HD AG_INLINE Philox4x32Counter packed_uniform_words(const DrawKey& key, uint32_t block, uint32_t step,
                                                       uint32_t slot) {
  return draw_words(key, block, step, slot | kPackedSlot);
}

// Word `index` (0-3) chosen by selects rather than indexing, so that the words stay in registers on GPU.
AG_HD AG_INLINE uint32_t word_at(const Philox4x32Counter& w, uint32_t index) {
  const uint32_t low = index == 0 ? w.v[0] : w.v[1];
  const uint32_t high = index == 2 ? w.v[2] : w.v[3];
  return index < 2 ? low : high;
}

// The uniform of the agent at position `lane` of its Philox call.
template <class T>
AG_HD AG_INLINE T packed_uniform(const Philox4x32Counter& w, uint32_t lane) {
  const uint32_t first = lane * kWordsPerUniform<T>;
  return OpenUniform<T>::from(word_at(w, first), word_at(w, (first + 1) % 4));
}

template <class T>
AG_HD AG_INLINE T uniform_draw(const DrawKey& key, uint32_t agent, uint32_t step, uint32_t slot) {
  const Philox4x32Counter words = packed_uniform_words(key, packed_block_of<T>(agent), step, slot);
  return packed_uniform<T>(words, packed_lane_of<T>(agent));
}

template <class T>
AG_HD AG_INLINE T normal_draw(const DrawKey& key, uint32_t agent, uint32_t step, uint32_t slot) {
  return normal_from_words<T>(draw_words(key, agent, step, slot));
}

}  // namespace ag
