// The model programs the GPU check runs (docs/program-format.md), written here with a small
// assembler as defineModel would lower them, and validated as the addon validates a program:
//   sirTwin       the SIR model's defineModel twin (its numbers are the built-in 'sir' model's)
//   networkTwin   an SIR epidemic on a contact graph: NEIGHBOUR_SUM of a dual and a real field
//   kitchenSink   every other instruction: draws of every kind per agent and per replicate,
//                 categorical draws, thresholds, nested loops inside and around agent loops,
//                 sum loops with real and dual accumulators, real and dual fields and state,
//                 registers rewritten inside loops, a loop that never runs, an output that only
//                 init writes
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../models/simulation.hpp"
#include "../program/program.hpp"

namespace ag::gpucheck {

// The names above.
std::vector<std::string> program_names();

// The program named `name`, validated; throws std::runtime_error for another name.
std::shared_ptr<const Program> test_program(const std::string& name);

// A request for program `name` at its parameters' reference values and its settings' defaults,
// with `agents` and `steps`, in straight-through mode at tau 0.1, float32, no tangents; with a
// ring lattice graph where the program reads one. Loop counts are checked as the addon checks them.
SimulationRequest program_request(const std::string& name, int agents, int steps, int replicates, uint64_t seed);

}  // namespace ag::gpucheck
