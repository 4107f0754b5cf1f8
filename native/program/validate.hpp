// Checks every word of a program against docs/program-format.md before anything runs or is
// allocated for it, and derives what the runner needs to know (uses_graph, neighbour_fields).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "program.hpp"

namespace ag {

// A malformed program; the message names the block, the instruction and the problem.
struct ProgramError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Validates the program and fills its derived fields; throws ProgramError.
void validate_program(Program& program);

// The checks that need a request's settings: every loop count a whole number in [0, 32768] and
// the product of nested counts below 32768. Throws ProgramError.
void check_loop_counts(const Program& program, const std::vector<double>& settings);

const char* op_name(Op op);

}  // namespace ag
