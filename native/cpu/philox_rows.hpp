// Packed float uniforms for a row of agents, many Philox calls at a time. Compilers vectorise the
// scalar generator (core/philox.hpp) with 64-bit multiplies (vpmullq: three micro-ops each on
// AVX-512, emulated on AVX2); Philox needs only 32x32 -> 64-bit products, which vpmuludq computes
// in one. Products are split into halves with shuffles, which run beside the multiplies rather
// than competing with them for a port as shifts would. Only the agent-block word of the counter
// differs between the calls of a row, so the first round and half of the second run once, in
// scalar code. Several vectors of calls go through the rounds together, since one vector's rounds
// are a chain of dependent multiplies. Lanes hold consecutive calls of a packed group, so each
// word, across the lanes, is a run of consecutive agents (random.hpp, packed_block_of) and is
// stored as it is. The words, and so the uniforms, are bitwise those of the scalar code. Included
// only by the CPU kernels' translation units (isa_kernels.cpp, kernels/*.cpp), each built for one
// instruction set: internal linkage keeps the copies apart.
#pragma once

// GCC 12 warns about the intrinsics' own placeholder arguments (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstdint>

#include "../core/random.hpp"

namespace ag::cpu {
namespace {

#if defined(__AVX512F__)
constexpr int kSimdCalls = 16;
using Words = __m512i;

AG_INLINE Words splat(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
AG_INLINE Words consecutive_from(uint32_t first) {
  return _mm512_add_epi32(splat(first), _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}
AG_INLINE Words odd_to_even(Words x) { return _mm512_shuffle_epi32(x, _MM_PERM_DDBB); }
AG_INLINE Words multiply_even(Words a, Words b) { return _mm512_mul_epu32(a, b); }
AG_INLINE Words high_halves(Words even, Words odd) { return _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_DDBB); }
AG_INLINE Words low_halves(Words even, Words odd) { return _mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CCAA); }
AG_INLINE Words xor2(Words a, Words b) { return _mm512_xor_si512(a, b); }
AG_INLINE Words xor3(Words a, Words b, Words c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
#elif defined(__AVX2__)
constexpr int kSimdCalls = 8;
using Words = __m256i;

AG_INLINE Words splat(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
AG_INLINE Words consecutive_from(uint32_t first) {
  return _mm256_add_epi32(splat(first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
AG_INLINE Words odd_to_even(Words x) { return _mm256_shuffle_epi32(x, 0xF5); }
AG_INLINE Words multiply_even(Words a, Words b) { return _mm256_mul_epu32(a, b); }
AG_INLINE Words high_halves(Words even, Words odd) { return _mm256_blend_epi32(_mm256_shuffle_epi32(even, 0xF5), odd, 0xAA); }
AG_INLINE Words low_halves(Words even, Words odd) { return _mm256_blend_epi32(even, _mm256_shuffle_epi32(odd, 0xA0), 0xAA); }
AG_INLINE Words xor2(Words a, Words b) { return _mm256_xor_si256(a, b); }
AG_INLINE Words xor3(Words a, Words b, Words c) { return xor2(xor2(a, b), c); }
#endif

#if defined(__AVX512F__) || defined(__AVX2__)
// The high and low halves of m * x in every 32-bit lane: even lanes multiply in place, odd lanes
// after a shuffle down.
AG_INLINE void multiply_high_low_lanes(Words m, Words x, Words& high, Words& low) {
  const Words even = multiply_even(x, m);
  const Words odd = multiply_even(odd_to_even(x), m);
  high = high_halves(even, odd);
  low = low_halves(even, odd);
}

struct CounterLanes {
  Words c0, c1, c2, c3;
};

AG_INLINE void advance(Philox4x32Key& key) {
  key.v[0] += philox_detail::kWeyl0;
  key.v[1] += philox_detail::kWeyl1;
}

// Philox4x32-10 (philox4x32 in core/philox.hpp) of the counters (replicate, blocks[v], step, slot),
// blocks one per lane, for V vectors of lanes at once: one vector's rounds form a chain of
// dependent multiplies, and interleaving independent vectors keeps the multiplier busy. Round 0
// multiplies only the lane-constant words, and round 1 one of them.
template <int V>
AG_INLINE void philox_lanes(uint32_t replicate, const Words (&blocks)[V], uint32_t step, uint32_t slot,
                            Philox4x32Key key, CounterLanes (&out)[V]) {
  uint32_t high0, low0, high1, low1;
  philox_detail::multiply_high_low(philox_detail::kMultiplier0, replicate, high0, low0);
  philox_detail::multiply_high_low(philox_detail::kMultiplier1, step, high1, low1);
  const Words c0 = splat(high1 ^ key.v[0]);
  const uint32_t c1 = low1, c2 = high0 ^ slot ^ key.v[1], c3 = low0;

  advance(key);
  const Words m0 = splat(philox_detail::kMultiplier0);
  philox_detail::multiply_high_low(philox_detail::kMultiplier1, c2, high1, low1);
  const Words round1_c0 = splat(high1 ^ c1 ^ key.v[0]), round1_c1 = splat(low1);
  const Words round1_c3 = splat(c3 ^ key.v[1]);
  CounterLanes c[V];
  for (int v = 0; v < V; ++v) {
    Words high0_lanes, low0_lanes;
    multiply_high_low_lanes(m0, xor2(c0, blocks[v]), high0_lanes, low0_lanes);
    c[v] = CounterLanes{round1_c0, round1_c1, xor2(high0_lanes, round1_c3), low0_lanes};
  }

  const Words m1 = splat(philox_detail::kMultiplier1);
  for (int r = 2; r < 10; ++r) {
    advance(key);
    const Words k0 = splat(key.v[0]), k1 = splat(key.v[1]);
    for (int v = 0; v < V; ++v) {
      Words high0_r, low0_r, high1_r, low1_r;
      multiply_high_low_lanes(m0, c[v].c0, high0_r, low0_r);
      multiply_high_low_lanes(m1, c[v].c2, high1_r, low1_r);
      c[v] = CounterLanes{xor3(high1_r, c[v].c1, k0), low1_r, xor3(high0_r, c[v].c3, k1), low0_r};
    }
  }
  for (int v = 0; v < V; ++v) out[v] = c[v];
}
#endif

#if defined(__AVX512F__)
using Floats = __m512;

AG_INLINE Floats cells_of(Words w) { return _mm512_cvtepi32_ps(_mm512_srli_epi32(w, OpenUniform<float>::kDroppedBits)); }
AG_INLINE Floats add(Floats a, Floats b) { return _mm512_add_ps(a, b); }
AG_INLINE Floats multiply(Floats a, Floats b) { return _mm512_mul_ps(a, b); }
AG_INLINE Floats splat_float(float x) { return _mm512_set1_ps(x); }
AG_INLINE void store(float* out, Floats x) { _mm512_storeu_ps(out, x); }
#elif defined(__AVX2__)
using Floats = __m256;

AG_INLINE Floats cells_of(Words w) { return _mm256_cvtepi32_ps(_mm256_srli_epi32(w, OpenUniform<float>::kDroppedBits)); }
AG_INLINE Floats add(Floats a, Floats b) { return _mm256_add_ps(a, b); }
AG_INLINE Floats multiply(Floats a, Floats b) { return _mm256_mul_ps(a, b); }
AG_INLINE Floats splat_float(float x) { return _mm256_set1_ps(x); }
AG_INLINE void store(float* out, Floats x) { _mm256_storeu_ps(out, x); }
#endif

#if defined(__AVX512F__) || defined(__AVX2__)
static_assert(kCallsPerPackedGroup % kSimdCalls == 0, "a vector of calls lies inside one packed group");

// OpenUniform<float>::from, lane by lane.
AG_INLINE Floats open_uniforms(Words w) {
  return multiply(add(cells_of(w), splat_float(0.5f)), splat_float(OpenUniform<float>::kCellWidth));
}

// The uniforms of kSimdCalls calls from call `call` of the row (a multiple of kSimdCalls, counted
// from the start of a packed group): lane j of word k is agent packed_agent_of(call + j, k).
AG_INLINE void store_call_lanes(const CounterLanes& w, uint32_t call, float* out) {
  float* first = out + packed_agent_of<float>(call, 0);
  store(first, open_uniforms(w.c0));
  store(first + kCallsPerPackedGroup, open_uniforms(w.c1));
  store(first + 2 * kCallsPerPackedGroup, open_uniforms(w.c2));
  store(first + 3 * kCallsPerPackedGroup, open_uniforms(w.c3));
}
#endif

#if defined(__AVX512F__) || defined(__AVX2__)
// Vectors of kSimdCalls calls drawn together (philox_lanes), as many as the registers hold: four
// vectors' words and the temporaries fill AVX-512's 32 registers, two AVX2's 16.
#if defined(__AVX512F__)
constexpr int kVectorsPerBatch = 4;
#else
constexpr int kVectorsPerBatch = 2;
#endif

// Draws V vectors of calls (replicate, first_block + c, step, slot) at a time, for c from `done`
// while whole vectors fit below `calls`, handing each to store(words, c); returns where it stopped.
template <int V, class Store>
AG_INLINE int draw_call_vectors(const DrawKey& key, uint32_t first_block, uint32_t step, uint32_t slot, int done,
                                int calls, Store&& store) {
  const Philox4x32Key philox_key = philox_key_of(key);
  for (; done + V * kSimdCalls <= calls; done += V * kSimdCalls) {
    Words blocks[V];
    CounterLanes words[V];
    for (int v = 0; v < V; ++v) blocks[v] = consecutive_from(first_block + static_cast<uint32_t>(done + v * kSimdCalls));
    philox_lanes<V>(key.replicate, blocks, step, slot, philox_key, words);
    for (int v = 0; v < V; ++v) store(words[v], static_cast<uint32_t>(done + v * kSimdCalls));
  }
  return done;
}

template <class Store>
AG_INLINE int draw_calls(const DrawKey& key, uint32_t first_block, uint32_t step, uint32_t slot, int calls,
                         Store&& store) {
  const int batched = draw_call_vectors<kVectorsPerBatch>(key, first_block, step, slot, 0, calls, store);
  return draw_call_vectors<1>(key, first_block, step, slot, batched, calls, store);
}
#endif

// The uniforms of `calls` packed calls from `first_block`, whole packed groups (first_block and
// calls multiples of kCallsPerPackedGroup), into out: the agent at `lane` of call first_block + b
// goes to out[packed_agent_of(b, lane)]. Returns how many calls it drew: all of them where the
// instruction set has SIMD, else none (the caller draws them one by one).
AG_INLINE int draw_packed_float_groups(const DrawKey& key, uint32_t first_block, uint32_t step, uint32_t slot,
                                       int calls, float* out) {
#if defined(__AVX512F__) || defined(__AVX2__)
  return draw_calls(key, first_block, step, slot | kPackedSlot,
                    calls, [&](const CounterLanes& words, uint32_t call) { store_call_lanes(words, call, out); });
#else
  (void)key, (void)first_block, (void)step, (void)slot, (void)calls, (void)out;
  return 0;
#endif
}

// The two uniforms of normal_draw's Box–Muller (words 0 and 2 of the call (replicate, agent,
// step, slot)) of `agents` consecutive agents from `first_agent`, into first[] and second[], whole
// vectors of them (both rows must have room for `agents` rounded up to kSimdCalls). Returns how
// many agents it drew: at least `agents` where the instruction set has SIMD, else none.
AG_INLINE int draw_normal_uniforms(const DrawKey& key, uint32_t first_agent, uint32_t step, uint32_t slot,
                                   int agents, float* first, float* second) {
#if defined(__AVX512F__) || defined(__AVX2__)
  const int calls = (agents + kSimdCalls - 1) / kSimdCalls * kSimdCalls;
  return draw_calls(key, first_agent, step, slot, calls, [&](const CounterLanes& words, uint32_t call) {
    store(first + call, open_uniforms(words.c0));
    store(second + call, open_uniforms(words.c2));
  });
#else
  (void)key, (void)first_agent, (void)step, (void)slot, (void)agents, (void)first, (void)second;
  return 0;
#endif
}

}  // namespace
}  // namespace ag::cpu
