// The CPU backend: every replicate runs on one thread of a shared pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../models/simulation.hpp"

namespace ag::cpu {

// Bytes of scratch memory a request needs besides its outputs.
std::size_t workspace_bytes(const SimulationRequest& request);

// Runs the request into `buffers`. Throws std::runtime_error on failure; stops early, throwing
// Cancelled, once *cancel becomes non-zero.
void simulate(const SimulationRequest& request, const SimulationBuffers& buffers, const int32_t* cancel);

// sums[r] = the uniform sum (cpu_kernels.hpp, uniform_sum) of replicate r of `seed`, for every r
// below `replicates`, on `threads` threads (0: every core) of the shared pool.
void uniform_sums(uint64_t seed, int replicates, int agents, int steps, int threads, float* sums);

int default_threads();

// The instruction set the CPU kernels run with: "baseline" (x86-64), "avx2" or "avx512".
const char* instruction_set();

// The instruction sets this binary carries kernels for, baseline first.
std::vector<const char*> built_instruction_sets();

// Whether the baseline set carries every kernel, so that the binary runs on any x86-64 processor;
// a source build for this processor leaves the agent-heavy models' float kernels to its wide set.
bool portable();

}  // namespace ag::cpu
