// A validated program decoded for the per-agent interpreter (interpreter.hpp), and where that
// interpreter keeps a replicate's data. Host code: the CUDA backend builds a ProgramPlan once per
// request and copies its tables to the device; the GPU check builds one to run the interpreter on
// the CPU. Nothing here validates: the program has passed validate_program and check_loop_counts.
//
// Decoding replaces every register operand by the register's row in a member's area and records
// in flags which operands are dual, so the interpreter reads no kinds while it runs; it marks the
// instructions of agent-loop bodies, and resolves each LOOP's count from the request's settings.
//
// A replicate's workspace, in reals of its dtype, T (every block aligned to 32 reals):
//   outputs    the leader's outputs, `planes` reals each (value, then the tangents)
//   fields     per field: planes (1 real, or `planes` dual) x agents, plane-major, so that agents'
//              values are contiguous (AgentArray layout)
//   snapshots  the same for each field NEIGHBOUR_SUM reads: its values at the start of the step
//   members    rows of `members` reals, one real per member (CUDA: per thread) in each row, so that
//              the members' reads and writes of a row are coalesced: every register (1 row, or
//              `planes` rows if dual), every state variable (likewise), the log-probability
//              (`planes` rows), the sum loops' accumulators (`planes` rows each) and, for
//              CATEGORICAL, one row of uniforms per category.
// Every member keeps its own copy of every register and state variable: each member interprets the
// replicate-level code itself, so members need no barrier between replicate-level instructions,
// and a replicate register that an agent-loop body writes (a pure instruction, the same value for
// every agent) is the member's own. Agent registers live only while one agent's body runs, and a
// member runs its agents one after another, so one row per member holds them as well.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "program.hpp"

namespace ag {

enum DecodedFlag : uint32_t {
  kDstDual = 1u << 0,      // the destination register is dual
  kADual = 1u << 1,        // operand a is dual (a register, a state variable, a field, or any probability of a CATEGORICAL)
  kBDual = 1u << 2,        // operand b is dual
  kCDual = 1u << 3,        // operand c is dual
  kInAgentLoop = 1u << 4,  // the instruction is in an agent-loop body
};

// An instruction as the interpreter reads it: op as in program.hpp; register operands replaced by
// rows of the member area (STATE_GET/STATE_SET: `a` the state variable's row); LOOP: `b` the
// count; other words as in the program.
struct DecodedInstruction {
  int32_t op;
  uint32_t flags;
  int32_t dst, a, b, c;
};

// What the interpreter reads, as pointers into host or device memory.
struct ProgramImage {
  const DecodedInstruction* init = nullptr;
  const DecodedInstruction* step = nullptr;
  int32_t init_length = 0;
  int32_t step_length = 0;
  const double* constants = nullptr;
  const int32_t* register_rows = nullptr;   // per register: its first row (CATEGORICAL reads ranges)
  const int32_t* register_duals = nullptr;  // per register: 1 if dual
  const uint64_t* field_offsets = nullptr;  // per field: reals from the replicate's base
  const uint64_t* snapshot_offsets = nullptr;  // per field: its snapshot's (only for neighbour fields)
  const int32_t* field_duals = nullptr;     // per field: 1 if dual
  const int32_t* neighbour_fields = nullptr;
  int32_t neighbour_field_count = 0;
  int32_t parameters = 0;  // the program's own; the interventions' factors follow them in theta
  int32_t outputs = 0;
  int32_t members = 1;     // reals per row of the member area
  uint64_t outputs_offset = 0;
  uint64_t members_offset = 0;
  int32_t log_prob_row = 0;
  int32_t sums_row = 0;
  int32_t uniforms_row = 0;
};

// Owns the decoded program and its tables for one request, scalar type (planes = 1 + tangent
// lanes) and member count.
class ProgramPlan {
 public:
  ProgramPlan(const Program& program, const std::vector<double>& settings, int planes, int members)
      : planes_(planes), members_(members), agents_(static_cast<std::size_t>(settings[0])) {
    const auto planes_of = [&](int32_t kind) { return is_dual(kind) ? planes : 1; };
    int rows = 0;
    for (int32_t kind : program.registers) {
      register_rows.push_back(rows);
      register_duals.push_back(is_dual(kind) ? 1 : 0);
      rows += planes_of(kind);
    }
    std::vector<int32_t> state_rows;
    for (int32_t kind : program.states) {
      state_rows.push_back(rows);
      rows += planes_of(kind);
    }
    log_prob_row_ = rows;
    rows += planes;
    sums_row_ = rows;
    rows += most_accumulators(program) * planes;
    uniforms_row_ = rows;
    rows += uses(program, Op::categorical) ? kMaxCategories : 0;
    rows_per_member_ = rows;

    std::size_t at = 0;
    const auto take = [&](std::size_t reals) {
      const std::size_t start = at;
      at += (reals + 31) / 32 * 32;
      return start;
    };
    outputs_offset_ = take(program.outputs.size() * static_cast<std::size_t>(planes));
    for (int32_t kind : program.fields) {
      field_duals.push_back(is_dual(kind) ? 1 : 0);
      field_offsets.push_back(take(static_cast<std::size_t>(planes_of(kind)) * agents_));
    }
    snapshot_offsets.assign(program.fields.size(), 0);
    for (int32_t f : program.neighbour_fields) {
      neighbour_fields.push_back(f);
      snapshot_offsets[f] = take(static_cast<std::size_t>(planes_of(program.fields[f])) * agents_);
    }
    members_offset_ = take(static_cast<std::size_t>(rows) * static_cast<std::size_t>(members));
    reals_per_replicate_ = at;

    constants = program.constants;
    parameters_ = static_cast<int32_t>(program.parameters.size());
    outputs_ = static_cast<int32_t>(program.outputs.size());
    Decoder decoder{program, settings, *this, state_rows};
    init = decoder.block(program.init);
    step = decoder.block(program.step);
  }

  std::vector<DecodedInstruction> init, step;
  std::vector<double> constants;
  std::vector<int32_t> register_rows, register_duals, field_duals, neighbour_fields;
  std::vector<uint64_t> field_offsets, snapshot_offsets;

  // Reals of one replicate's workspace, which must start zeroed (state and fields start at 0).
  std::size_t reals_per_replicate() const { return reals_per_replicate_; }
  int rows_per_member() const { return rows_per_member_; }

  // The image over this plan's own (host) tables.
  ProgramImage image() const {
    ProgramImage image;
    image.init = init.data();
    image.step = step.data();
    image.constants = constants.data();
    image.register_rows = register_rows.data();
    image.register_duals = register_duals.data();
    image.field_offsets = field_offsets.data();
    image.snapshot_offsets = snapshot_offsets.data();
    image.field_duals = field_duals.data();
    image.neighbour_fields = neighbour_fields.data();
    return with_sizes(image);
  }

  // `image` with this plan's sizes and offsets filled in (its pointers are the caller's).
  ProgramImage with_sizes(ProgramImage image) const {
    image.init_length = static_cast<int32_t>(init.size());
    image.step_length = static_cast<int32_t>(step.size());
    image.neighbour_field_count = static_cast<int32_t>(neighbour_fields.size());
    image.parameters = parameters_;
    image.outputs = outputs_;
    image.members = members_;
    image.outputs_offset = outputs_offset_;
    image.members_offset = members_offset_;
    image.log_prob_row = log_prob_row_;
    image.sums_row = sums_row_;
    image.uniforms_row = uniforms_row_;
    return image;
  }

  // Bytes of the tables a device copy of the plan holds.
  std::size_t table_bytes() const {
    return (init.size() + step.size()) * sizeof(DecodedInstruction) + constants.size() * sizeof(double) +
           (register_rows.size() + register_duals.size() + field_duals.size() + neighbour_fields.size()) * sizeof(int32_t) +
           (field_offsets.size() + snapshot_offsets.size()) * sizeof(uint64_t);
  }

  static bool uses(const Program& p, Op op) {
    for (const auto* code : {&p.init, &p.step}) {
      for (const Instruction& in : *code) {
        if (in.op == op) return true;
      }
    }
    return false;
  }

 private:
  static int most_accumulators(const Program& p) {
    int most = 0;
    for (const auto* code : {&p.init, &p.step}) {
      for (const Instruction& in : *code) {
        if (in.op == Op::agent_loop) most = std::max(most, static_cast<int>(in.c));
      }
    }
    return most;
  }

  struct Decoder {
    const Program& p;
    const std::vector<double>& settings;
    const ProgramPlan& plan;
    const std::vector<int32_t>& state_rows;

    std::vector<DecodedInstruction> block(const std::vector<Instruction>& code) const {
      std::vector<DecodedInstruction> out;
      out.reserve(code.size());
      int agent_loop_end = -1;  // the end of the agent-loop body being decoded
      for (std::size_t i = 0; i < code.size(); ++i) {
        const bool in_agent_loop = static_cast<int>(i) < agent_loop_end;
        out.push_back(decode(code[i], in_agent_loop));
        if (code[i].op == Op::agent_loop) agent_loop_end = static_cast<int>(i) + 1 + code[i].a;
      }
      return out;
    }

    DecodedInstruction decode(const Instruction& in, bool in_agent_loop) const {
      DecodedInstruction d{static_cast<int32_t>(in.op), in_agent_loop ? kInAgentLoop : 0u, in.dst, in.a, in.b, in.c};
      const auto reg = [&](int32_t r, uint32_t flag) {
        if (is_dual(p.registers[r])) d.flags |= flag;
        return plan.register_rows[r];
      };
      const auto dual_if = [&](int32_t kind, uint32_t flag) {
        if (is_dual(kind)) d.flags |= flag;
      };
      switch (in.op) {
        case Op::constant:
        case Op::parameter:
        case Op::setting:
        case Op::loop_index:
        case Op::step:
        case Op::agent_count:
        case Op::agent_index:
        case Op::uniform:
        case Op::sum_result: d.dst = reg(in.dst, kDstDual); break;
        case Op::state_get:
          d.dst = reg(in.dst, kDstDual);
          dual_if(p.states[in.a], kADual);
          d.a = state_rows[in.a];
          break;
        case Op::state_set:
          dual_if(p.states[in.a], kADual);
          d.a = state_rows[in.a];
          d.b = reg(in.b, kBDual);
          break;
        case Op::field_get:
        case Op::neighbour_sum:
          d.dst = reg(in.dst, kDstDual);
          dual_if(p.fields[in.a], kADual);
          break;
        case Op::field_set:
          dual_if(p.fields[in.a], kADual);
          d.b = reg(in.b, kBDual);
          break;
        case Op::output:
        case Op::accumulate: d.b = reg(in.b, kBDual); break;
        case Op::select:
          d.dst = reg(in.dst, kDstDual);
          d.a = reg(in.a, kADual);
          d.b = reg(in.b, kBDual);
          d.c = reg(in.c, kCDual);
          break;
        case Op::normal:
        case Op::common_normal:
          d.dst = reg(in.dst, kDstDual);
          d.a = reg(in.a, kADual);
          d.b = reg(in.b, kBDual);
          break;
        case Op::bernoulli:
          d.dst = reg(in.dst, kDstDual);
          d.a = reg(in.a, kADual);
          break;
        case Op::categorical:
          d.dst = reg(in.dst, kDstDual);
          for (int32_t j = 0; j < in.b; ++j) dual_if(p.registers[in.a + j], kADual);
          break;
        case Op::agent_loop: break;
        case Op::loop:
          d.b = static_cast<int32_t>(in.b == static_cast<int32_t>(LoopCount::constant) ? p.constants[in.c] : settings[in.c]);
          d.c = 0;
          break;
        default:  // arithmetic, comparisons, logic: dst, a and (binary) b are registers
          d.dst = reg(in.dst, kDstDual);
          d.a = reg(in.a, kADual);
          if ((in.op >= Op::add && in.op <= Op::pow) || (in.op >= Op::lt && in.op <= Op::ne) || in.op == Op::logical_and ||
              in.op == Op::logical_or || in.op == Op::above) {
            d.b = reg(in.b, kBDual);
          }
      }
      return d;
    }
  };

  int planes_;
  int members_;
  std::size_t agents_;
  int rows_per_member_ = 0;
  int log_prob_row_ = 0, sums_row_ = 0, uniforms_row_ = 0;
  int32_t parameters_ = 0, outputs_ = 0;
  std::size_t outputs_offset_ = 0, members_offset_ = 0, reals_per_replicate_ = 0;
};

}  // namespace ag
