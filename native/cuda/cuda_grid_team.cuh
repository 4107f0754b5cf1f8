// The team contract (core/team.hpp) spread over several thread blocks, for replicates with more
// agents than one block serves well. The grid is (blocks per replicate) x (replicates of this
// launch) and is launched cooperatively: agent loops end in a grid-wide barrier, and a sum is a CUB
// block reduction per block, written to global memory, then added up in block order by every
// thread after a grid-wide barrier. State stays in device memory between steps; the host only
// launches. Sums alternate between two rows of partials, so one barrier per sum suffices: a row is
// written again only after every thread has passed the next sum's barrier, and so has read it.
#pragma once

#include <cooperative_groups.h>
#include <cub/block/block_reduce.cuh>

#include <type_traits>

#include "../core/agent_array.hpp"
#include "../core/team.hpp"
#include "cuda_team.cuh"

namespace ag::cuda {

template <class S, int BlockThreads>
class CudaGridTeam : public TeamDraws<S> {
 public:
  using Real = RealOf<S>;
  using BlockReduce = cub::BlockReduce<S, BlockThreads>;
  struct SharedStorage {
    typename BlockReduce::TempStorage reduce;
  };

  // `partials` holds 2 x gridDim.x scalars of this replicate.
  __device__ CudaGridTeam(DrawKey key, DiscreteOptions discrete, GraphView graph, int agents, Real* workspace,
                          S* partials, SharedStorage& shared)
      : TeamDraws<S>(key, discrete, graph),
        agents_(agents),
        workspace_(workspace),
        partials_(partials),
        shared_(shared),
        rank_(static_cast<int>(blockIdx.x) * BlockThreads + static_cast<int>(threadIdx.x)),
        members_(static_cast<int>(gridDim.x) * BlockThreads) {}

  __device__ int agents() const { return agents_; }
  __device__ bool is_leader() const { return blockIdx.x == 0 && threadIdx.x == 0; }

  __device__ AgentArray<S> agent_field(int field) {
    return AgentArray<S>::over(workspace_ + agent_fields_reals<S>(field, agents_), agents_);
  }

  template <class F>
  __device__ void for_each_agent(F&& f) {
    for (int i = rank_; i < agents_; i += members_) f(i);
    cooperative_groups::this_grid().sync();
  }

  template <class F>
  __device__ S sum(F&& f) {
    S partial(Real(0));
    for (int i = rank_; i < agents_; i += members_) partial += f(i);
    return grid_sum(partial);
  }

  template <class F>
  __device__ auto sum_pair(F&& f) {
    using Pair = decltype(f(0));
    Pair partial{Real(0), Real(0)};
    for (int i = rank_; i < agents_; i += members_) {
      const Pair values = f(i);
      partial.first += values.first;
      partial.second += values.second;
    }
    const auto first = grid_sum_of(partial.first);
    return Pair{first, grid_sum_of(partial.second)};
  }

  __device__ S total_log_prob() { return grid_sum(this->log_prob_); }

 private:
  // A sum's total of a plain real goes through the reduction of S, its tangents zero: one
  // reduction's storage serves both kinds, and a reduction per step costs little beside the agents.
  template <class V>
  __device__ V grid_sum_of(const V& partial) {
    if constexpr (std::is_same<V, S>::value) {
      return grid_sum(partial);
    } else {
      return value(grid_sum(S(partial)));
    }
  }

  __device__ S grid_sum(const S& partial) {
    S* row = partials_ + parity_ * gridDim.x;
    const S block_total = BlockReduce(shared_.reduce).Reduce(partial, DualSum<S>());
    if (threadIdx.x == 0) row[blockIdx.x] = block_total;
    cooperative_groups::this_grid().sync();
    S total(Real(0));
    for (unsigned b = 0; b < gridDim.x; ++b) total += row[b];
    parity_ = 1 - parity_;
    return total;
  }

  int agents_;
  Real* workspace_;
  S* partials_;
  SharedStorage& shared_;
  int rank_;
  int members_;
  int parity_ = 0;
};

}  // namespace ag::cuda
