// The per-agent program interpreter (native/program/interpreter.hpp), which the CUDA backend runs
// one thread block per replicate, run here on the CPU with CpuTeam (one member), so that its
// semantics are checked against the CPU backend's tile runner (native/cpu/program_runner.hpp)
// without a GPU.
#pragma once

#include "agreement.hpp"
#include "requests.hpp"

namespace ag::gpucheck {

// Where the interpreter runs: on CpuTeam (one member, agents in order), or on a thread block
// emulated with 16 std::threads as members (the CUDA backend's arrangement: member m runs agents
// m, m + 16, ..., keeps its own registers and sum partials, and meets the others at barriers and
// collective totals).
enum class Interpreter { cpu_team, block };

// Runs a program request through the interpreter, replicate by replicate, its tangents in passes
// of cuda_lanes_per_pass lanes as the CUDA backend runs them.
Outputs run_interpreter_on_cpu(const SimulationRequest& request, Interpreter where);

// The CPU backend (tile runner) against the interpreter: values and tangents must agree bitwise
// (the same arithmetic on the same draws, and sums in the same 16 lanes: CpuTeam's members add in
// PartialSums' lanes, the emulated block's 16 members are those lanes); log_prob, which the two
// add up in different orders (the tile runner in one running sum, instruction by instruction over a
// tile of agents; the interpreter agent by agent, the block in 16 partials), within 1e-3 of its
// series' scale in float32 (the tile runner's running float sum of some 1e5 terms drifts by up to
// 5e-4 of its total here) and 1e-11 in float64 (5e-13 seen).
CaseResult check_interpreter_on_cpu(const Case& c, Interpreter where);

}  // namespace ag::gpucheck
