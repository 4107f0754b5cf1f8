// The uniforms and normals of a tile of agents at one (step, slot), into a row indexed by agent -
// begin: what CpuTeam's agent loops and the program runner's draw instructions read. A row must
// have room for whole packed groups and SIMD vectors past `end` (a tile of a multiple of 64 agents).
// Included only by the CPU kernels' translation units, each built for one instruction set.
#pragma once

#include <cstdint>
#include <type_traits>

#include "../core/random.hpp"
#include "philox_rows.hpp"

namespace ag::cpu {
namespace {

// The uniforms of agents [begin, end), whole groups of packed calls: a tile's last group is drawn
// whole, into the row's room past `end`. `begin` starts a group.
template <class Real>
void draw_tile_uniforms(const DrawKey& key, Real* row, int begin, int end, uint32_t step, uint32_t slot) {
  constexpr int group_agents = static_cast<int>(kAgentsPerPackedGroup<Real>);
  const int calls = (end - begin + group_agents - 1) / group_agents * static_cast<int>(kCallsPerPackedGroup);
  const uint32_t first_block = packed_block_of<Real>(static_cast<uint32_t>(begin));
  int b = 0;
  if constexpr (std::is_same<Real, float>::value) {
    b = draw_packed_float_groups(key, first_block, step, slot, calls, row);
  }
  for (; b < calls; ++b) {
    const Philox4x32Counter words = packed_uniform_words(key, first_block + b, step, slot);
    for (uint32_t lane = 0; lane < kUniformsPerCall<Real>; ++lane) {
      row[packed_agent_of<Real>(static_cast<uint32_t>(b), lane)] = packed_uniform<Real>(words, lane);
    }
  }
}

// The normals of agents [begin, end): Box–Muller (normal_from_uniforms) on the uniforms of each
// agent's own Philox call, the calls drawn with SIMD where the instruction set allows, whole
// vectors of them (into the rows' room past `end`); `second` holds Box–Muller's u2 meanwhile.
template <class Real>
void draw_tile_normals(const DrawKey& key, Real* row, Real* second, int begin, int end, uint32_t step, uint32_t slot) {
  const int agents = end - begin;
  int drawn = 0;
  if constexpr (std::is_same<Real, float>::value) {
    drawn = draw_normal_uniforms(key, static_cast<uint32_t>(begin), step, slot, agents, row, second);
  }
  for (int i = 0; i < drawn; ++i) row[i] = normal_from_uniforms(row[i], second[i]);
  for (int i = drawn; i < agents; ++i) row[i] = normal_draw<Real>(key, static_cast<uint32_t>(begin + i), step, slot);
}

}  // namespace
}  // namespace ag::cpu
