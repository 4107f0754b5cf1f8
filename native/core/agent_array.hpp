// Per-agent values of a scalar type in structure-of-arrays layout: for Dual<T, K> the values of all
// agents are contiguous, then tangent 0 of all agents, and so on, so loops over agents read and
// write unit-stride memory (vectorisable on CPU, coalesced on GPU).
#pragma once

#include <cstddef>

#include "config.hpp"
#include "dual.hpp"

namespace ag {

template <class S>
struct AgentArray {
  S* data = nullptr;
  AG_HD static constexpr std::size_t reals_per_agent() { return 1; }
  AG_HD AG_INLINE static AgentArray over(S* storage, int /*agents*/) { return AgentArray{storage}; }
  AG_HD AG_INLINE S get(int i) const { return data[i]; }
  AG_HD AG_INLINE void set(int i, const S& x) const { data[i] = x; }
};

template <class T, int K>
struct AgentArray<Dual<T, K>> {
  T* data = nullptr;
  int stride = 0;
  AG_HD static constexpr std::size_t reals_per_agent() { return K + 1; }
  AG_HD AG_INLINE static AgentArray over(T* storage, int agents) { return AgentArray{storage, agents}; }
  AG_HD AG_INLINE Dual<T, K> get(int i) const {
    Dual<T, K> x(data[i]);
    AG_UNROLL_TANGENTS
    for (int k = 0; k < K; ++k) x.d[k] = data[(k + 1) * stride + i];
    return x;
  }
  AG_HD AG_INLINE void set(int i, const Dual<T, K>& x) const {
    data[i] = x.v;
    AG_UNROLL_TANGENTS
    for (int k = 0; k < K; ++k) data[(k + 1) * stride + i] = x.d[k];
  }
};

}  // namespace ag

namespace ag {

// Reals of backing storage for `fields` agent arrays of S over `agents` agents; field f starts at
// agent_fields_reals<S>(f, agents).
template <class S>
AG_HD AG_INLINE std::size_t agent_fields_reals(int fields, int agents) {
  return static_cast<std::size_t>(fields) * AgentArray<S>::reals_per_agent() * static_cast<std::size_t>(agents);
}

}  // namespace ag
