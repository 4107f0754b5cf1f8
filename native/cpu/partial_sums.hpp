// Lanes running sums of a team sum: agent i goes to lane i mod Lanes, in agent order, and total()
// adds the lanes pairwise, so that a sum's rounding depends on neither thread nor instruction set.
#pragma once

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/dual.hpp"

namespace ag::cpu {
// Internal linkage: the kernels of each instruction set keep their own copy (see model_kernels.hpp).
namespace {

// Lanes running sums per component of V (a scalar type: a real or a Dual).
template <class V, int Lanes>
class PartialSums {
 public:
  using Real = RealOf<V>;
  static constexpr int kComponents = static_cast<int>(AgentArray<V>::reals_per_agent());
  AG_INLINE void add(int lane, const V& x) { lanes().set(lane, lanes().get(lane) + x); }
  // Adds x to component c of lane `lane` alone (a real added to a Dual sum's value).
  AG_INLINE void add_component(int c, int lane, Real x) { lanes_[c][lane] += x; }
  V total() {
    Real totals[kComponents];
    for (int c = 0; c < kComponents; ++c) {
      for (int width = Lanes / 2; width >= 1; width /= 2) {
        for (int j = 0; j < width; ++j) lanes_[c][j] += lanes_[c][j + width];
      }
      totals[c] = lanes_[c][0];
    }
    return AgentArray<V>::over(totals, 1).get(0);
  }

 private:
  AG_INLINE AgentArray<V> lanes() { return AgentArray<V>::over(lanes_[0], Lanes); }
  alignas(64) Real lanes_[kComponents][Lanes] = {};
};

}  // namespace
}  // namespace ag::cpu
