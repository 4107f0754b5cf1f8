// The team contract (core/team.hpp) as one thread block: thread j owns agents j, j + B, j + 2B, ...
// and reductions are CUB block reductions broadcast through shared memory.
#pragma once

#include <cub/block/block_reduce.cuh>

#include <cstddef>
#include <type_traits>

#include "../core/agent_array.hpp"
#include "../core/team.hpp"

namespace ag::cuda {

template <class S>
struct DualSum {
  __device__ __forceinline__ S operator()(const S& a, const S& b) const { return a + b; }
};

template <class S, int BlockThreads>
class CudaTeam : public TeamDraws<S> {
 public:
  using Real = RealOf<S>;
  using BlockReduce = cub::BlockReduce<S, BlockThreads>;
  struct SharedStorage {
    typename BlockReduce::TempStorage reduce;
    alignas(S) unsigned char broadcast[sizeof(S)];  // raw: __shared__ forbids constructors
  };

  __device__ CudaTeam(DrawKey key, DiscreteOptions discrete, GraphView graph, int agents, Real* workspace,
                      SharedStorage& shared)
      : TeamDraws<S>(key, discrete, graph), agents_(agents), workspace_(workspace), shared_(shared) {}

  __device__ int agents() const { return agents_; }
  __device__ bool is_leader() const { return threadIdx.x == 0; }

  __device__ AgentArray<S> agent_field(int field) {
    return AgentArray<S>::over(workspace_ + agent_fields_reals<S>(field, agents_), agents_);
  }

  template <class F>
  __device__ void for_each_agent(F&& f) {
    for (int i = threadIdx.x; i < agents_; i += BlockThreads) f(i);
    __syncthreads();
  }

  template <class F>
  __device__ S sum(F&& f) {
    S partial(Real(0));
    for (int i = threadIdx.x; i < agents_; i += BlockThreads) partial += f(i);
    return block_sum(partial);
  }

  template <class F>
  __device__ auto sum_pair(F&& f) {
    using Pair = decltype(f(0));
    Pair partial{Real(0), Real(0)};
    for (int i = threadIdx.x; i < agents_; i += BlockThreads) {
      const Pair values = f(i);
      partial.first += values.first;
      partial.second += values.second;
    }
    const auto first = block_sum_of(partial.first);
    return Pair{first, block_sum_of(partial.second)};
  }

  __device__ S total_log_prob() { return block_sum(this->log_prob_); }

  // The sum of every thread's x, given to every thread: for code that keeps partials of its own
  // (the program interpreter's sum loops). Every thread of the block must call it.
  __device__ S sum_of_members(const S& x) { return block_sum(x); }

 private:
  // A sum's total of a plain real goes through the reduction of S, its tangents zero: one
  // reduction's storage serves both kinds, and a reduction per step costs little beside the agents.
  template <class V>
  __device__ V block_sum_of(const V& partial) {
    if constexpr (std::is_same<V, S>::value) {
      return block_sum(partial);
    } else {
      return value(block_sum(S(partial)));
    }
  }

  __device__ S block_sum(const S& partial) {
    const S total = BlockReduce(shared_.reduce).Reduce(partial, DualSum<S>());
    S* broadcast = reinterpret_cast<S*>(shared_.broadcast);
    if (threadIdx.x == 0) *broadcast = total;
    __syncthreads();
    const S result = *broadcast;
    __syncthreads();  // the storage is reused by the next reduction
    return result;
  }

  int agents_;
  Real* workspace_;
  SharedStorage& shared_;
};

}  // namespace ag::cuda
