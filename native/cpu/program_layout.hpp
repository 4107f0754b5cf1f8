// Where a program runner keeps everything in its workspace (in reals): replicate registers and
// state as scalars of `planes` reals, agent fields and their neighbour snapshots over all agents,
// agent registers and draw rows over one tile, and the runner's own bookkeeping.
//
// ProgramLayout is built by the backend (cpu_backend.cpp, compiled for the baseline instruction
// set); the runner, compiled once per instruction set, reads only its plain ProgramPlan. No
// standard-library template is instantiated in the per-set translation units: the linker keeps one
// copy of such an instantiation for the whole binary, and the copy it kept might use instructions
// that the processor running another set's kernels lacks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../program/program.hpp"

namespace ag::cpu {

constexpr int kProgramTile = 256;

// Offsets in reals into one replicate's workspace.
struct ProgramPlan {
  const std::size_t* fields;     // per field
  const std::size_t* snapshots;  // per field read by neighbours (else 0)
  const std::size_t* tiles;      // per agent register (else 0)
  std::size_t registers, states, scratch, rows, categories, marks, total;
};

class ProgramLayout {
 public:
  ProgramLayout(const Program& p, int agents, int planes, std::size_t real_bytes) {
    std::size_t at = 0;
    const auto take = [&](std::size_t reals) {
      const std::size_t start = at;
      at += (reals + 15) / 16 * 16;  // 64-byte steps for float rows
      return start;
    };
    const auto planes_of = [&](int32_t kind) { return static_cast<std::size_t>(is_dual(kind) ? planes : 1); };
    const std::size_t agent_count = static_cast<std::size_t>(agents);
    plan_.registers = take(p.registers.size() * planes);
    plan_.states = take(p.states.size() * planes);
    for (int32_t kind : p.fields) fields_.push_back(take(planes_of(kind) * agent_count));
    snapshots_.assign(p.fields.size(), 0);
    for (int32_t f : p.neighbour_fields) snapshots_[f] = take(planes_of(p.fields[f]) * agent_count);
    for (int32_t kind : p.registers) tiles_.push_back(is_agent(kind) ? take(planes_of(kind) * kProgramTile) : 0);
    plan_.scratch = take(static_cast<std::size_t>(planes) * kProgramTile);
    plan_.rows = take(2 * kProgramTile);
    plan_.categories = take(uses_categorical(p) ? static_cast<std::size_t>(kMaxCategories) * (planes + 1) * kProgramTile : 0);
    // Three int32 marks per register (ProgramRunner's aliases).
    plan_.marks = take((3 * p.registers.size() * sizeof(int32_t) + real_bytes - 1) / real_bytes);
    plan_.total = at;
    plan_.fields = fields_.data();
    plan_.snapshots = snapshots_.data();
    plan_.tiles = tiles_.data();
  }

  ProgramLayout(const ProgramLayout&) = delete;
  ProgramLayout& operator=(const ProgramLayout&) = delete;

  const ProgramPlan& plan() const { return plan_; }
  std::size_t total() const { return plan_.total; }

 private:
  static bool uses_categorical(const Program& p) {
    for (const auto* code : {&p.init, &p.step}) {
      for (const Instruction& in : *code) {
        if (in.op == Op::categorical) return true;
      }
    }
    return false;
  }

  std::vector<std::size_t> fields_, snapshots_, tiles_;
  ProgramPlan plan_{};
};

}  // namespace ag::cpu
