// A model program (docs/program-format.md): a small typed register machine that defineModel lowers
// a TypeScript model to. The addon copies it from JavaScript into a Program, validates every word
// (validate.hpp), and the CPU backend runs it over tiles of agents (native/cpu/program_runner.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../core/config.hpp"
#include "../models/model_spec.hpp"

namespace ag {

enum class Op : int32_t {
  constant = 1,
  parameter = 2,
  setting = 3,
  step = 4,
  agent_count = 5,
  agent_index = 6,
  loop_index = 7,
  state_get = 8,
  state_set = 9,
  field_get = 10,
  field_set = 11,
  neighbour_sum = 12,
  output = 13,
  copy = 20,
  neg = 21,
  add = 22,
  sub = 23,
  mul = 24,
  div = 25,
  min = 26,
  max = 27,
  pow = 28,
  exp = 30,
  log = 31,
  log1p = 32,
  expm1 = 33,
  sqrt = 34,
  abs = 35,
  tanh = 36,
  lt = 40,
  le = 41,
  gt = 42,
  ge = 43,
  eq = 44,
  ne = 45,
  logical_not = 46,
  logical_and = 47,
  logical_or = 48,
  select = 49,
  uniform = 50,
  normal = 51,
  common_normal = 52,
  bernoulli = 53,
  above = 54,
  categorical = 55,
  agent_loop = 60,
  accumulate = 61,
  sum_result = 62,
  loop = 70,
};

// A register's kind: bit 0 dual (value + tangents), bit 1 per agent.
enum Kind : int32_t { kReal = 0, kDual = 1, kAgentReal = 2, kAgentDual = 3 };
constexpr bool is_dual(int32_t kind) { return (kind & kDual) != 0; }
constexpr bool is_agent(int32_t kind) { return (kind & kAgentReal) != 0; }

struct Instruction {
  Op op;
  int32_t dst, a, b, c;
};

enum class AgentLoopKind : int32_t { for_each = 0, sum = 1 };
enum class LoopCount : int32_t { constant = 0, setting = 1 };

// Limits of the format, checked by the validator.
constexpr int kMaxProgramParameters = kMaxParameters - 4;  // the rest hold intervention factors
constexpr int kMaxProgramOutputs = 32;
constexpr int kMaxProgramFields = 64;
constexpr int kMaxProgramStates = 256;
constexpr int kMaxProgramRegisters = 4096;
constexpr int kMaxProgramConstants = 65536;
constexpr int kMaxProgramInstructions = 65536;
constexpr int kMaxLoopDepth = 4;
constexpr int kMaxLoopIterations = 32768;  // also the bound of the product of nested counts
constexpr int kMaxAccumulators = 8;
constexpr int kMaxCategories = 16;
constexpr int kMaxDrawSites = 4096;

// Draw slot of a site at a category and a (flattened) loop iteration.
AG_HD constexpr uint32_t draw_slot(uint32_t site, uint32_t category, uint32_t iteration) {
  return site | category << 12 | iteration << 16;
}

struct ProgramParameter {
  std::string name;
  Constraint constraint;
  double reference;
};

struct ProgramSetting {
  std::string name;
  double fallback;
  double min;
  double max;
  bool integer;
};

struct Program {
  std::string name;
  std::vector<ProgramParameter> parameters;
  std::vector<ProgramSetting> settings;
  std::vector<std::string> outputs;
  std::vector<int32_t> fields;     // Kind of each agent field: kReal or kDual
  std::vector<int32_t> states;     // Kind of each state variable: kReal or kDual
  std::vector<int32_t> registers;  // Kind of each register
  std::vector<double> constants;
  std::vector<Instruction> init;
  std::vector<Instruction> step;
  // Derived by the validator.
  bool uses_graph = false;
  std::vector<int32_t> neighbour_fields;  // fields read by NEIGHBOUR_SUM, snapshotted each step
};

}  // namespace ag
