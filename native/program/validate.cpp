#include "validate.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace ag {
namespace {

std::string kind_name(int32_t kind) {
  switch (kind) {
    case kReal: return "a real register";
    case kDual: return "a dual register";
    case kAgentReal: return "an agent real register";
    default: return "an agent dual register";
  }
}

// Which words an instruction uses: registers read, plain indices, or nothing (must be 0).
enum class Word { unused, reg, index };

struct OpInfo {
  Op op;
  const char* name;
  Word dst, a, b, c;
};

constexpr Word U = Word::unused, R = Word::reg, I = Word::index;

const OpInfo kOps[] = {
    {Op::constant, "CONST", R, I, U, U},        {Op::parameter, "PARAM", R, I, U, U},
    {Op::setting, "SETTING", R, I, U, U},       {Op::step, "STEP", R, U, U, U},
    {Op::agent_count, "AGENT_COUNT", R, U, U, U}, {Op::agent_index, "AGENT_INDEX", R, U, U, U},
    {Op::loop_index, "LOOP_INDEX", R, I, U, U}, {Op::state_get, "STATE_GET", R, I, U, U},
    {Op::state_set, "STATE_SET", U, I, R, U},   {Op::field_get, "FIELD_GET", R, I, U, U},
    {Op::field_set, "FIELD_SET", U, I, R, U},   {Op::neighbour_sum, "NEIGHBOUR_SUM", R, I, U, U},
    {Op::output, "OUTPUT", U, I, R, U},         {Op::copy, "COPY", R, R, U, U},
    {Op::neg, "NEG", R, R, U, U},               {Op::add, "ADD", R, R, R, U},
    {Op::sub, "SUB", R, R, R, U},               {Op::mul, "MUL", R, R, R, U},
    {Op::div, "DIV", R, R, R, U},               {Op::min, "MIN", R, R, R, U},
    {Op::max, "MAX", R, R, R, U},               {Op::pow, "POW", R, R, R, U},
    {Op::exp, "EXP", R, R, U, U},               {Op::log, "LOG", R, R, U, U},
    {Op::log1p, "LOG1P", R, R, U, U},           {Op::expm1, "EXPM1", R, R, U, U},
    {Op::sqrt, "SQRT", R, R, U, U},             {Op::abs, "ABS", R, R, U, U},
    {Op::tanh, "TANH", R, R, U, U},             {Op::lt, "LT", R, R, R, U},
    {Op::le, "LE", R, R, R, U},                 {Op::gt, "GT", R, R, R, U},
    {Op::ge, "GE", R, R, R, U},                 {Op::eq, "EQ", R, R, R, U},
    {Op::ne, "NE", R, R, R, U},                 {Op::logical_not, "NOT", R, R, U, U},
    {Op::logical_and, "AND", R, R, R, U},       {Op::logical_or, "OR", R, R, R, U},
    {Op::select, "SELECT", R, R, R, R},         {Op::uniform, "UNIFORM", R, I, U, U},
    {Op::normal, "NORMAL", R, R, R, I},         {Op::common_normal, "COMMON_NORMAL", R, R, R, I},
    {Op::bernoulli, "BERNOULLI", R, R, I, U},   {Op::above, "ABOVE", R, R, R, U},
    {Op::categorical, "CATEGORICAL", R, I, I, I}, {Op::agent_loop, "AGENT_LOOP", U, I, I, I},
    {Op::accumulate, "ACCUMULATE", U, I, R, U}, {Op::sum_result, "SUM_RESULT", R, I, U, U},
    {Op::loop, "LOOP", U, I, I, I},
};

const OpInfo* info_of(Op op) {
  for (const OpInfo& info : kOps) {
    if (info.op == op) return &info;
  }
  return nullptr;
}

bool is_binary_arithmetic(Op op) { return op >= Op::add && op <= Op::pow; }
bool is_unary_arithmetic(Op op) { return op == Op::copy || op == Op::neg || (op >= Op::exp && op <= Op::tanh); }
bool is_comparison(Op op) { return op >= Op::lt && op <= Op::logical_or; }

// Operations a replicate register may take inside an agent loop: pure, and the same for every tile.
bool is_pure(Op op) {
  return op == Op::constant || op == Op::parameter || op == Op::setting || op == Op::step || op == Op::agent_count ||
         op == Op::loop_index || op == Op::state_get || op == Op::common_normal || op == Op::select || op == Op::above ||
         is_binary_arithmetic(op) || is_unary_arithmetic(op) || is_comparison(op);
}

class Validator {
 public:
  explicit Validator(Program& program) : p_(program) {}

  void run() {
    check_metadata();
    block_name_ = "init";
    validate_block(p_.init, 0, static_cast<int>(p_.init.size()), Context{});
    check_outputs_written();
    block_name_ = "step";
    in_step_ = true;
    validate_block(p_.step, 0, static_cast<int>(p_.step.size()), Context{});
    p_.uses_graph = !p_.neighbour_fields.empty();
  }

 private:
  struct Context {
    bool in_agent_loop = false;
    bool in_sum = false;
    int depth = 0;
  };

  [[noreturn]] void fail(const std::string& message) const {
    throw ProgramError("program." + block_name_ + "[" + std::to_string(index_) + "] (" + name_ + "): " + message);
  }
  [[noreturn]] static void fail_metadata(const std::string& message) { throw ProgramError("program." + message); }

  void check_metadata() const {
    const int parameters = static_cast<int>(p_.parameters.size());
    if (parameters < 1 || parameters > kMaxProgramParameters) {
      fail_metadata("parameters must hold 1 to " + std::to_string(kMaxProgramParameters) + " parameters, got " + std::to_string(parameters));
    }
    for (const ProgramParameter& parameter : p_.parameters) {
      if (!satisfies(parameter.constraint, parameter.reference)) {
        fail_metadata("parameters: the reference value of '" + parameter.name + "' must be " + constraint_range(parameter.constraint));
      }
    }
    const int settings = static_cast<int>(p_.settings.size());
    if (settings < 2 || settings > kMaxSettings) {
      fail_metadata("settings must hold 2 to " + std::to_string(kMaxSettings) + " settings (agents and steps first), got " + std::to_string(settings));
    }
    if (p_.settings[0].name != "agents" || p_.settings[1].name != "steps") fail_metadata("settings must start with 'agents' and 'steps'");
    for (int s = 0; s < settings; ++s) {
      const ProgramSetting& setting = p_.settings[s];
      const bool ordered = std::isfinite(setting.min) && std::isfinite(setting.max) && setting.min <= setting.fallback &&
                           setting.fallback <= setting.max;
      if (!ordered) fail_metadata("settings." + setting.name + " must have finite min <= default <= max");
      if (s < 2 && (!setting.integer || setting.min < 1 || setting.max > (s == 0 ? 1e8 : 1e6))) {
        fail_metadata("settings." + setting.name + " must be an integer setting within [1, " + (s == 0 ? "1e8" : "1e6") + "]");
      }
    }
    const int outputs = static_cast<int>(p_.outputs.size());
    if (outputs < 1 || outputs > kMaxProgramOutputs) {
      fail_metadata("outputs must hold 1 to " + std::to_string(kMaxProgramOutputs) + " names, got " + std::to_string(outputs));
    }
    check_kinds(p_.fields, kMaxProgramFields, "fields", kDual);
    check_kinds(p_.states, kMaxProgramStates, "states", kDual);
    check_kinds(p_.registers, kMaxProgramRegisters, "registers", kAgentDual);
    if (p_.constants.size() > static_cast<std::size_t>(kMaxProgramConstants)) fail_metadata("constants holds more than 65536 numbers");
    for (std::size_t k = 0; k < p_.constants.size(); ++k) {
      if (!std::isfinite(p_.constants[k])) fail_metadata("constants[" + std::to_string(k) + "] must be finite");
    }
    if (p_.init.size() + p_.step.size() > static_cast<std::size_t>(kMaxProgramInstructions)) {
      fail_metadata("init and step hold more than 65536 instructions");
    }
  }

  static void check_kinds(const std::vector<int32_t>& kinds, int limit, const char* what, int32_t widest) {
    if (kinds.size() > static_cast<std::size_t>(limit)) {
      fail_metadata(std::string(what) + " holds more than " + std::to_string(limit) + " entries");
    }
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k] < 0 || kinds[k] > widest) {
        fail_metadata(std::string(what) + "[" + std::to_string(k) + "] must be a kind in [0, " + std::to_string(widest) + "], got " +
                      std::to_string(kinds[k]));
      }
    }
  }

  void check_outputs_written() const {
    std::vector<bool> written(p_.outputs.size(), false);
    for (const Instruction& in : p_.init) {
      if (in.op == Op::output) written[in.a] = true;
    }
    for (std::size_t o = 0; o < written.size(); ++o) {
      if (!written[o]) fail_metadata("init never writes output '" + p_.outputs[o] + "'");
    }
  }

  int32_t kind(int32_t reg) const { return p_.registers[reg]; }

  void check_index(int32_t x, std::size_t count, const char* what) const {
    if (x < 0 || static_cast<std::size_t>(x) >= count) {
      fail(std::string(what) + " " + std::to_string(x) + " is out of range [0, " + std::to_string(count) + ")");
    }
  }

  // A register read: valid, replicate outside agent loops, and an agent register written earlier
  // in the same agent loop.
  void read(int32_t reg, const Context& ctx) const {
    check_index(reg, p_.registers.size(), "register");
    if (!is_agent(kind(reg))) {
      if (ctx.in_agent_loop && !replicate_written_[reg]) replicate_read_first_[reg] = true;
      return;
    }
    if (!ctx.in_agent_loop) fail("register " + std::to_string(reg) + " is " + kind_name(kind(reg)) + ", outside an agent loop");
    if (!agent_written_[reg]) fail("agent register " + std::to_string(reg) + " is read before this agent loop writes it");
  }

  // The destination of a result of kind `result`: wide enough, and an agent register only inside
  // an agent loop; a replicate one inside an agent loop only for pure operations.
  void write(int32_t dst, int32_t result, const Context& ctx, Op op) {
    check_index(dst, p_.registers.size(), "register");
    const int32_t k = kind(dst);
    if (is_dual(result) && !is_dual(k)) fail("the result is dual but register " + std::to_string(dst) + " is " + kind_name(k));
    if (is_agent(result) && !is_agent(k)) fail("the result is per agent but register " + std::to_string(dst) + " is " + kind_name(k));
    if (is_agent(k)) {
      if (!ctx.in_agent_loop) fail("register " + std::to_string(dst) + " is " + kind_name(k) + ", outside an agent loop");
      agent_written_[dst] = true;
    } else if (ctx.in_agent_loop) {
      if (!is_pure(op)) fail("a replicate register cannot take this result inside an agent loop");
      // Read and then written in the loop, it would carry a value from one tile (or thread) of
      // agents to the next: a result that depends on how a backend splits the agents.
      if (replicate_read_first_[dst]) {
        fail("replicate register " + std::to_string(dst) + " is read and then written inside an agent loop, which would carry it from agent to agent");
      }
      replicate_written_[dst] = true;
    }
  }

  void enter_agent_loop() {
    agent_written_.assign(p_.registers.size(), false);
    replicate_written_.assign(p_.registers.size(), false);
    replicate_read_first_.assign(p_.registers.size(), false);
  }

  int32_t combine(int32_t x, int32_t y) const { return kind(x) | kind(y); }

  void check_unused(const Instruction& in, const OpInfo& info) const {
    const Word words[4] = {info.dst, info.a, info.b, info.c};
    const int32_t values[4] = {in.dst, in.a, in.b, in.c};
    const char* names[4] = {"dst", "a", "b", "c"};
    for (int w = 0; w < 4; ++w) {
      if (words[w] == Word::unused && values[w] != 0) fail(std::string("word ") + names[w] + " must be 0, got " + std::to_string(values[w]));
    }
  }

  void validate_block(const std::vector<Instruction>& code, int begin, int end, const Context& ctx) {
    for (int i = begin; i < end; ++i) i = validate_one(code, i, end, ctx);
  }

  // Validates code[i] within a block ending at `end`; returns the index of the last instruction it covers.
  int validate_one(const std::vector<Instruction>& code, int i, int end, const Context& ctx) {
    index_ = i;
    const Instruction& in = code[i];
    const OpInfo* info = info_of(in.op);
    name_ = info != nullptr ? info->name : "?";
    if (info == nullptr) fail("unknown opcode " + std::to_string(static_cast<int32_t>(in.op)));
    check_unused(in, *info);
    return validate_instruction(code, i, end, ctx);
  }

  // Validates code[i]; returns the index of the last instruction it covers (a loop's body, a sum's results).
  int validate_instruction(const std::vector<Instruction>& code, int i, int end, const Context& ctx) {
    const Instruction& in = code[i];
    const Op op = in.op;
    switch (op) {
      case Op::constant: check_index(in.a, p_.constants.size(), "constant"); write(in.dst, kReal, ctx, op); break;
      case Op::parameter: check_index(in.a, p_.parameters.size(), "parameter"); write(in.dst, kDual, ctx, op); break;
      case Op::setting: check_index(in.a, p_.settings.size(), "setting"); write(in.dst, kReal, ctx, op); break;
      case Op::step:
      case Op::agent_count: write(in.dst, kReal, ctx, op); break;
      case Op::agent_index:
        if (!ctx.in_agent_loop) fail("AGENT_INDEX is only valid inside an agent loop");
        write(in.dst, kAgentReal, ctx, op);
        break;
      case Op::loop_index:
        if (in.a < 0 || in.a >= ctx.depth) fail("depth " + std::to_string(in.a) + " is not that of an enclosing loop (" + std::to_string(ctx.depth) + " enclose it)");
        write(in.dst, kReal, ctx, op);
        break;
      case Op::state_get: check_index(in.a, p_.states.size(), "state"); write(in.dst, p_.states[in.a], ctx, op); break;
      case Op::state_set:
        if (ctx.in_agent_loop) fail("state is set outside agent loops only");
        check_index(in.a, p_.states.size(), "state");
        read(in.b, ctx);
        if (is_dual(kind(in.b)) && !is_dual(p_.states[in.a])) fail("a dual value into real state " + std::to_string(in.a));
        break;
      case Op::field_get:
        if (!ctx.in_agent_loop) fail("agent fields are read inside agent loops only");
        check_index(in.a, p_.fields.size(), "field");
        write(in.dst, kAgentReal | p_.fields[in.a], ctx, op);
        break;
      case Op::field_set:
        if (!ctx.in_agent_loop) fail("agent fields are set inside agent loops only");
        check_index(in.a, p_.fields.size(), "field");
        read(in.b, ctx);
        if (is_dual(kind(in.b)) && !is_dual(p_.fields[in.a])) fail("a dual value into real field " + std::to_string(in.a));
        break;
      case Op::neighbour_sum:
        if (!in_step_) fail("neighbours are read in step only (their previous-step state)");
        if (!ctx.in_agent_loop) fail("neighbours are read inside agent loops only");
        check_index(in.a, p_.fields.size(), "field");
        write(in.dst, kAgentReal | p_.fields[in.a], ctx, op);
        note_neighbour_field(in.a);
        break;
      case Op::output:
        if (ctx.in_agent_loop) fail("outputs are written outside agent loops only");
        check_index(in.a, p_.outputs.size(), "output");
        read(in.b, ctx);
        break;
      case Op::select:
        read(in.a, ctx), read(in.b, ctx), read(in.c, ctx);
        if (is_dual(kind(in.a))) fail("the condition must be a real register");
        write(in.dst, kind(in.a) | kind(in.b) | kind(in.c), ctx, op);
        break;
      case Op::uniform:
        check_site(in.a);
        write(in.dst, ctx.in_agent_loop ? kAgentReal : kReal, ctx, op);
        break;
      case Op::normal:
        read(in.a, ctx), read(in.b, ctx), check_site(in.c);
        write(in.dst, combine(in.a, in.b) | (ctx.in_agent_loop ? kAgentReal : kReal), ctx, op);
        break;
      case Op::common_normal:
        read(in.a, ctx), read(in.b, ctx), check_site(in.c);
        if (is_agent(combine(in.a, in.b))) fail("a common normal's mean and sd must be replicate registers");
        write(in.dst, combine(in.a, in.b), ctx, op);
        break;
      case Op::bernoulli:
        read(in.a, ctx), check_site(in.b);
        write(in.dst, kind(in.a) | (ctx.in_agent_loop ? kAgentReal : kReal), ctx, op);
        break;
      case Op::above: read(in.a, ctx), read(in.b, ctx); write(in.dst, combine(in.a, in.b), ctx, op); break;
      case Op::categorical: validate_categorical(in, ctx); break;
      case Op::agent_loop: return validate_agent_loop(code, i, end, ctx);
      case Op::accumulate: fail("ACCUMULATE belongs at the top level of a sum loop's body");
      case Op::sum_result: fail("SUM_RESULT must directly follow its sum loop");
      case Op::loop: return validate_loop(code, i, end, ctx);
      default:
        if (is_binary_arithmetic(op)) {
          read(in.a, ctx), read(in.b, ctx);
          write(in.dst, combine(in.a, in.b), ctx, op);
        } else if (is_unary_arithmetic(op)) {
          read(in.a, ctx);
          write(in.dst, kind(in.a), ctx, op);
        } else if (op == Op::logical_not) {
          read(in.a, ctx);
          write(in.dst, kind(in.a) & kAgentReal, ctx, op);
        } else {  // comparisons, and, or
          read(in.a, ctx), read(in.b, ctx);
          write(in.dst, combine(in.a, in.b) & kAgentReal, ctx, op);
        }
    }
    return i;
  }

  void check_site(int32_t site) const {
    if (site < 0 || site >= kMaxDrawSites) fail("draw site " + std::to_string(site) + " is out of range [0, 4096)");
  }

  void note_neighbour_field(int32_t field) {
    for (int32_t f : p_.neighbour_fields) {
      if (f == field) return;
    }
    p_.neighbour_fields.push_back(field);
  }

  void validate_categorical(const Instruction& in, const Context& ctx) {
    if (in.b < 2 || in.b > kMaxCategories) fail("a categorical draw takes 2 to 16 probabilities, got " + std::to_string(in.b));
    if (in.a < 0 || static_cast<int64_t>(in.a) + in.b > static_cast<int64_t>(p_.registers.size())) {
      fail("probability registers " + std::to_string(in.a) + ".." + std::to_string(static_cast<int64_t>(in.a) + in.b - 1) + " are out of range");
    }
    int32_t kinds = ctx.in_agent_loop ? kAgentReal : kReal;
    for (int32_t j = 0; j < in.b; ++j) {
      read(in.a + j, ctx);
      kinds |= kind(in.a + j);
    }
    check_site(in.c);
    write(in.dst, kinds, ctx, Op::categorical);
  }

  int body_end(int i, int32_t length, int end) const {
    if (length < 1 || length > end - i - 1) fail("body length " + std::to_string(length) + " runs past its block (" + std::to_string(end - i - 1) + " instructions follow)");
    return i + 1 + length;
  }

  int validate_agent_loop(const std::vector<Instruction>& code, int i, int end, const Context& ctx) {
    const Instruction& in = code[i];
    if (ctx.in_agent_loop) fail("agent loops do not nest");
    const int stop = body_end(i, in.a, end);
    const bool sum = in.b == static_cast<int32_t>(AgentLoopKind::sum);
    if (in.b != 0 && !sum) fail("loop kind must be 0 (forEach) or 1 (sum), got " + std::to_string(in.b));
    const int accumulators = in.c;
    if (sum ? accumulators < 1 || accumulators > kMaxAccumulators : accumulators != 0) {
      fail(sum ? "a sum loop has 1 to 8 accumulators, got " + std::to_string(accumulators) : "a forEach loop has no accumulators");
    }
    enter_agent_loop();
    std::vector<int32_t> accumulator_kind(accumulators, -1);
    Context inner = ctx;
    inner.in_agent_loop = true;
    inner.in_sum = sum;
    for (int j = i + 1; j < stop; ++j) {
      const Instruction& body = code[j];
      if (body.op != Op::accumulate) {
        j = validate_one(code, j, stop, inner);
        continue;
      }
      index_ = j;
      name_ = "ACCUMULATE";
      if (!sum) fail("ACCUMULATE inside a forEach loop");
      check_unused(body, *info_of(Op::accumulate));
      check_index(body.a, static_cast<std::size_t>(accumulators), "accumulator");
      if (accumulator_kind[body.a] >= 0) fail("accumulator " + std::to_string(body.a) + " is added to twice");
      read(body.b, inner);
      accumulator_kind[body.a] = kind(body.b) & kDual;
    }
    enter_agent_loop();
    return validate_sum_results(code, stop, end, accumulator_kind, ctx);
  }

  int validate_sum_results(const std::vector<Instruction>& code, int first, int end, const std::vector<int32_t>& kinds,
                           const Context& ctx) {
    const int count = static_cast<int>(kinds.size());
    for (int k = 0; k < count; ++k) {
      index_ = first + k;
      name_ = "SUM_RESULT";
      if (first + k >= end || code[first + k].op != Op::sum_result || code[first + k].a != k) {
        fail("a sum loop with " + std::to_string(count) + " accumulators must be followed by SUM_RESULT of accumulators 0.." +
             std::to_string(count - 1) + " in order");
      }
      if (kinds[k] < 0) fail("accumulator " + std::to_string(k) + " is never added to");
      check_unused(code[first + k], *info_of(Op::sum_result));
      write(code[first + k].dst, kinds[k], ctx, Op::sum_result);
    }
    return first + count - 1;
  }

  int validate_loop(const std::vector<Instruction>& code, int i, int end, const Context& ctx) {
    const Instruction& in = code[i];
    if (ctx.depth >= kMaxLoopDepth) fail("loops nest at most 4 deep");
    const int stop = body_end(i, in.a, end);
    if (in.b == static_cast<int32_t>(LoopCount::constant)) {
      check_index(in.c, p_.constants.size(), "constant");
      const double n = p_.constants[in.c];
      if (n != std::floor(n) || n < 0 || n > kMaxLoopIterations) fail("the loop count must be a whole number in [0, 32768]");
    } else if (in.b == static_cast<int32_t>(LoopCount::setting)) {
      check_index(in.c, p_.settings.size(), "setting");
    } else {
      fail("the count source must be 0 (constant) or 1 (setting), got " + std::to_string(in.b));
    }
    Context inner = ctx;
    inner.depth += 1;
    validate_block(code, i + 1, stop, inner);
    return stop - 1;
  }

  Program& p_;
  std::string block_name_;
  const char* name_ = "";
  int index_ = 0;
  bool in_step_ = false;
  std::vector<bool> agent_written_;
  std::vector<bool> replicate_written_;             // in the current agent loop
  mutable std::vector<bool> replicate_read_first_;  // read in the current agent loop before any write there
};

// The largest product of nested loop counts in code[begin, end), given the product outside.
double loop_product(const Program& program, const std::vector<Instruction>& code, int begin, int end, double outer,
                    const std::vector<double>& settings, const char* block) {
  double largest = outer;
  for (int i = begin; i < end; ++i) {
    const Instruction& in = code[i];
    if (in.op != Op::loop) continue;
    const double n = in.b == static_cast<int32_t>(LoopCount::constant) ? program.constants[in.c] : settings[in.c];
    if (n != std::floor(n) || n < 0 || n > kMaxLoopIterations) {
      throw ProgramError(std::string("program.") + block + "[" + std::to_string(i) + "] (LOOP): setting '" +
                         program.settings[in.c].name + "' counts a loop, so it must be a whole number in [0, 32768]");
    }
    largest = std::max(largest, loop_product(program, code, i + 1, i + 1 + in.a, outer * std::max(n, 1.0), settings, block));
    i += in.a;
  }
  return largest;
}

}  // namespace

void validate_program(Program& program) {
  program.neighbour_fields.clear();
  Validator(program).run();
}

void check_loop_counts(const Program& program, const std::vector<double>& settings) {
  const double init = loop_product(program, program.init, 0, static_cast<int>(program.init.size()), 1, settings, "init");
  const double step = loop_product(program, program.step, 0, static_cast<int>(program.step.size()), 1, settings, "step");
  if (std::max(init, step) > kMaxLoopIterations) {
    throw ProgramError("program: nested loops run " + std::to_string(static_cast<long long>(std::max(init, step))) +
                       " iterations in all, more than 32768 (draws in loops are keyed by the iteration)");
  }
}

const char* op_name(Op op) {
  const OpInfo* info = info_of(op);
  return info == nullptr ? "?" : info->name;
}

}  // namespace ag
