// The team contract (core/team.hpp) on one CPU thread. Agent loops run a tile of agents at a time:
// the uniforms and normals the model declared for the loop are drawn for the whole tile first (a
// group of packed Philox calls per kAgentsPerPackedGroup agents, or a call per agent for normals,
// many calls at once with SIMD where the instruction set allows), then
// the body runs over the tile as a plain loop the compiler can vectorise. Sums go through
// kPartialSums independent lanes added in a fixed order, so a replicate's numbers depend neither on
// the thread running it nor on the instruction set.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "../core/agent_array.hpp"
#include "../core/random.hpp"
#include "../core/team.hpp"
#include "partial_sums.hpp"
#include "tile_draws.hpp"

namespace ag::cpu {

template <class S, class Mode>
class CpuTeam : public TeamDraws<S, Mode> {
 public:
  using Real = RealOf<S>;
  static constexpr int kTile = 256;
  static constexpr int kMaxDeclaredDraws = 4;
  static constexpr int kPartialSums = 16;
  static_assert(kTile % kPartialSums == 0 && kTile % kAgentsPerPackedGroup<Real> == 0, "tiles hold whole groups");

  // The uniforms or normals declared for one (step, slot), read from the current tile.
  class TileDraws {
   public:
    TileDraws(const Real* row, const int& tile_begin) : row_(row), tile_begin_(tile_begin) {}
    AG_INLINE Real operator()(int agent) const { return row_[agent - tile_begin_]; }

   private:
    const Real* row_;
    const int& tile_begin_;
  };

  CpuTeam(DrawKey key, DiscreteOptions discrete, GraphView graph, int agents, Real* workspace)
      : TeamDraws<S, Mode>(key, discrete, graph), agents_(agents), workspace_(workspace) {}

  int agents() const { return agents_; }
  bool is_leader() const { return true; }
  S total_log_prob() const { return this->log_prob_; }

  AgentArray<S> agent_field(int field) {
    return AgentArray<S>::over(workspace_ + agent_fields_reals<S>(field, agents_), agents_);
  }

  TileDraws uniforms(uint32_t step, uint32_t slot) { return declare(Declared{Declared::kUniform, step, slot}); }
  TileDraws normals(uint32_t step, uint32_t slot) { return declare(Declared{Declared::kNormal, step, slot}); }

  template <class F>
  AG_INLINE void for_each_agent(F&& f) {
    for (int begin = 0; begin < agents_; begin += kTile) {
      const int end = std::min(begin + kTile, agents_);
      draw_tile(begin, end);
      visit(begin, end, f);
    }
    declared_count_ = 0;
  }

  template <class F>
  AG_INLINE S sum(F&& f) {
    PartialSums<S, kPartialSums> partials;
    sum_tiles([&](int i, int lane) { partials.add(lane, f(i)); });
    return partials.total();
  }

  template <class F>
  AG_INLINE auto sum_pair(F&& f) {
    using Pair = decltype(f(0));
    using First = decltype(Pair::first);
    using Second = decltype(Pair::second);
    PartialSums<First, kPartialSums> firsts;
    PartialSums<Second, kPartialSums> seconds;
    sum_tiles([&](int i, int lane) {
      // Taken apart member by member: GCC leaves a copy of the whole pair in memory and then does
      // not vectorise the loop.
      const Pair values = f(i);
      const First first = values.first;
      const Second second = values.second;
      firsts.add(lane, first);
      seconds.add(lane, second);
    });
    return Pair{firsts.total(), seconds.total()};
  }

 private:
  struct Declared {
    enum Kind { kUniform, kNormal } kind;
    uint32_t step;
    uint32_t slot;
  };

  TileDraws declare(Declared draws) {
    if (declared_count_ == kMaxDeclaredDraws) throw std::logic_error("too many draws declared for one agent loop");
    declared_[declared_count_] = draws;
    return TileDraws(tile_draws_[declared_count_++], tile_begin_);
  }

  // Runs accumulate(i, lane) over the agents a tile at a time.
  template <class Accumulate>
  AG_INLINE void sum_tiles(Accumulate&& accumulate) {
    for (int begin = 0; begin < agents_; begin += kTile) {
      const int end = std::min(begin + kTile, agents_);
      draw_tile(begin, end);
      visit_in_lanes(begin, end, accumulate);
    }
    declared_count_ = 0;
  }

  void draw_tile(int begin, int end) {
    tile_begin_ = begin;
    for (int d = 0; d < declared_count_; ++d) {
      if (declared_[d].kind == Declared::kUniform) {
        draw_uniforms(tile_draws_[d], begin, end, declared_[d]);
      } else {
        draw_normals(tile_draws_[d], begin, end, declared_[d]);
      }
    }
  }

  void draw_uniforms(Real* row, int begin, int end, Declared at) const {
    draw_tile_uniforms(this->key_, row, begin, end, at.step, at.slot);
  }

  void draw_normals(Real* row, int begin, int end, Declared at) {
    draw_tile_normals(this->key_, row, tile_second_uniforms_, begin, end, at.step, at.slot);
  }

  // Runs f over agents [begin, end), with f inlined (flatten) so that the loop can vectorise. Each
  // call touches only its own agent, so iterations are independent (ivdep) -- except in score
  // mode, where every draw adds to log_prob_ in agent order.
  template <class F>
  __attribute__((flatten)) void visit(int begin, int end, F& f) {
    if constexpr (kInAgentOrder) {
      for (int i = begin; i < end; ++i) f(i);
    } else {
#pragma GCC ivdep
      for (int i = begin; i < end; ++i) f(i);
    }
  }

  // As visit, for f(i, lane) with agent i's lane of the partial sums, i mod kPartialSums (tiles
  // start at multiples of kPartialSums): a group of kPartialSums agents at a time, so that the
  // lanes' running sums stay in registers across a vectorised group.
  template <class F>
  __attribute__((flatten)) void visit_in_lanes(int begin, int end, F& f) {
    int group = begin;
    for (; group + kPartialSums <= end; group += kPartialSums) {
      if constexpr (kInAgentOrder) {
        for (int lane = 0; lane < kPartialSums; ++lane) f(group + lane, lane);
      } else {
#pragma GCC ivdep
        for (int lane = 0; lane < kPartialSums; ++lane) f(group + lane, lane);
      }
    }
    for (int lane = 0; group + lane < end; ++lane) f(group + lane, lane);
  }

  static constexpr bool kInAgentOrder = Mode::kFixedScore;

  int agents_;
  Real* workspace_;
  int tile_begin_ = 0;
  int declared_count_ = 0;
  Declared declared_[kMaxDeclaredDraws];
  alignas(64) Real tile_draws_[kMaxDeclaredDraws][kTile];
  alignas(64) Real tile_second_uniforms_[kTile];  // Box–Muller's u2 while a tile's normals are drawn
};

}  // namespace ag::cpu
