// A per-agent interpreter of model programs (docs/program-format.md), written once for every team:
// the CUDA backend runs it with one thread block per replicate (native/cuda/program.cu), and the
// GPU check runs it on the CPU, with CpuTeam and with a thread block emulated by 16 std::threads
// (native/gpucheck/program_check.cpp), where it must give the CPU backend's tile runner
// (native/cpu/program_runner.hpp) its numbers.
//
// Every member of a team interprets the whole program. Replicate-level code runs on every member
// alike, each into its own copy of the registers and state (image.hpp), so members never wait for
// one another there. An agent loop gives each member its agents (member m: agents m, m + M, m + 2M,
// ... for M members) and the member runs the body for one agent after another. Fields belong to
// agents, so a member only ever touches its own agents' fields; the one exception, NEIGHBOUR_SUM,
// reads a snapshot taken at the start of the step between two barriers. A sum loop adds each
// accumulator into the member's partials, which the team then totals (CUDA: a CUB block
// reduction). The numbers are those of the tile runner: the same Dual arithmetic, estimators and
// draw keys; sums differ only in their order of addition (the GPU check's teams add in the tile
// runner's 16 lanes, so that they agree bitwise), and so does the log-probability.
//
// Besides core/team.hpp's contract (TeamDraws: draws, discrete(), graph(); agents(); is_leader())
// a team needs a specialisation of ProgramMembers (below) next to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../core/agent_array.hpp"
#include "../core/config.hpp"
#include "../core/discrete.hpp"
#include "../core/dual.hpp"
#include "../core/random.hpp"
#include "../core/tangent_ops.hpp"
#include "../models/simulation.hpp"
#include "image.hpp"

namespace ag {

// What the interpreter needs of a team beyond the team contract:
//   static constexpr int kMembers;               members per team (the image's `members`)
//   AG_HD static int member(const Team&);        this member's index in [0, kMembers)
//   AG_HD static void barrier(Team&);            no member passes before all have arrived
//   AG_HD static S total(Team&, const S& x);     the sum of every member's x, given to every member
//   template <class S> class Sums;                the accumulators of one sum loop for one member:
//     AG_HD Sums(T* rows, int members);          rows: the member's first accumulator row
//     AG_HD void reset(int count);
//     AG_HD void add(int accumulator, int agent, const S& x);
//     AG_HD void add_value(int accumulator, int agent, T x);   (a real into the value alone)
//     AG_HD S total(Team&, int accumulator);     collective: every member, accumulators in order
//   (MemberRowSums below, for a team whose members each keep partials).
template <class Team>
struct ProgramMembers;

// A sum loop's accumulators as partials in the member's rows of the workspace (`planes` rows
// each), totalled over the members by ProgramMembers<Team>::total: member m's partial is the sum,
// in agent order, of its agents m, m + M, ...
template <class Team, class V>
class MemberRowSums {
 public:
  using T = RealOf<V>;
  static constexpr std::size_t kPlanes = AgentArray<V>::reals_per_agent();
  AG_HD MemberRowSums(T* rows, int members) : rows_(rows), members_(members) {}
  AG_HD void reset(int count) {
    for (int k = 0; k < count; ++k) partial(k).set(0, V(T(0)));
  }
  AG_HD void add(int k, int, const V& x) {
    const AgentArray<V> p = partial(k);
    p.set(0, p.get(0) + x);
  }
  AG_HD void add_value(int k, int, T x) { partial(k).data[0] += x; }
  AG_HD V total(Team& team, int k) { return ProgramMembers<Team>::total(team, partial(k).get(0)); }

 private:
  AG_HD AgentArray<V> partial(int k) const {
    return AgentArray<V>::over(rows_ + static_cast<std::size_t>(k) * kPlanes * members_, members_);
  }
  T* rows_;
  int members_;
};

template <class Team, class S>
class ProgramInterpreter {
 public:
  using T = RealOf<S>;
  using Members = ProgramMembers<Team>;
  using Sums = typename Members::template Sums<S>;
  static constexpr bool kTangents = ScalarTraits<S>::tangents > 0;
  static constexpr int kPlanes = static_cast<int>(AgentArray<S>::reals_per_agent());

  // `workspace`: the replicate's, zeroed, laid out as the image says.
  AG_HD ProgramInterpreter(Team& team, const ProgramImage& image, const ReplicateInputs<T>& in, const T* point, T* workspace)
      : team_(team),
        image_(image),
        in_(in),
        point_(point),
        replicate_(workspace),
        members_(image.members),
        member_(Members::member(team)),
        rows_(workspace + image.members_offset + Members::member(team)),
        sums_(workspace + image.members_offset + Members::member(team) + static_cast<std::size_t>(image.sums_row) * image.members,
              image.members) {}

  // init at t = 0, then step for t = 1 .. steps, through one copy of the dispatch loop.
  AG_HD void run(const ReplicateOutputs<T>& out) {
    for (int t = 0; t <= in_.steps; ++t) {
      t_ = t;
      if (t > 0) snapshot_neighbour_fields();
      run_block(t == 0 ? image_.init : image_.step, t == 0 ? image_.init_length : image_.step_length);
      record(out, t);
    }
    if (out.log_prob != nullptr) {
      const S log_prob = Members::total(team_, dual_at(image_.log_prob_row));
      if (team_.is_leader()) {
        out.log_prob[0] = value(log_prob);
        store_tangents(log_prob, out.log_prob + 1 + in_.tangent_offset, in_.tangents);
      }
    }
  }

 private:
  template <class A, class B>
  using Common = std::conditional_t<std::is_same<A, T>::value && std::is_same<B, T>::value, T, S>;

  // ---- the member's rows ---------------------------------------------------------------------

  AG_HD AG_INLINE T* row(int r) const { return rows_ + static_cast<std::size_t>(r) * members_; }
  AG_HD AG_INLINE T value_at(int r) const { return *row(r); }
  AG_HD AG_INLINE S dual_at(int r) const { return AgentArray<S>::over(row(r), members_).get(0); }
  AG_HD AG_INLINE void set_dual(int r, const S& x) const { AgentArray<S>::over(row(r), members_).set(0, x); }

  // x into row r, as a dual (planes rows) or as its value alone.
  template <class R>
  AG_HD AG_INLINE void store_at(int r, bool dual, const R& x) const {
    if constexpr (!kTangents) {
      *row(r) = value(x);
    } else {
      if (dual) {
        set_dual(r, S(x));
      } else {
        *row(r) = value(x);
      }
    }
  }
  template <class R>
  AG_HD AG_INLINE void store(const DecodedInstruction& in, const R& x) const {
    store_at(in.dst, (in.flags & kDstDual) != 0, x);
  }

  // Calls f with row r read as what it holds: a real (T) or a dual (S).
  template <class F>
  AG_HD AG_INLINE void with(int r, bool dual, F&& f) const {
    if constexpr (!kTangents) {
      f(value_at(r));
    } else {
      if (dual) {
        f(dual_at(r));
      } else {
        f(value_at(r));
      }
    }
  }

  // ---- blocks --------------------------------------------------------------------------------

  struct Frame {
    int begin, end, count, counter;
    uint32_t outer;  // the flattened iteration of the enclosing loops
  };

  // Runs a block: replicate-level code, loops and agent loops in one dispatch loop (one copy of
  // the instructions' code, and no recursion, which the GPU would pay for in registers and stack).
  // An agent loop starts at its body's end, so that every member, whatever its agents, reaches the
  // loop's collective totals through the one place below.
  AG_HD AG_INLINE void run_block(const DecodedInstruction* code, int length) {
    // The loop stack, indexed at run time, lives apart from the interpreter's other state, which
    // the GPU then keeps in registers.
    Frame frames[kMaxLoopDepth];
    frames_ = frames;
    int pc = 0;
    depth_ = 0;
    iteration_ = 0;
    in_body_ = false;
    for (;;) {
      if (in_body_) {  // in an agent-loop body: its loops end first, then the body
        if (depth_ > agent_depth_ && pc == frames_[depth_ - 1].end) {
          pc = next_iteration();
          continue;
        }
        if (pc == body_end_) {
          agent_ += members_;
          if (agent_ < in_.agents) {
            pc = body_begin_;
          } else {
            in_body_ = false;
            pc = finish_agent_loop(code);
          }
          continue;
        }
      } else if (depth_ > 0 && pc == frames_[depth_ - 1].end) {
        pc = next_iteration();
        continue;
      }
      if (pc >= length) break;
      const DecodedInstruction in = code[pc];
      switch (static_cast<Op>(in.op)) {
        case Op::agent_loop: pc = start_agent_loop(pc, in); break;
        case Op::loop: pc = start_loop(pc, in); break;
        case Op::accumulate:
          accumulate(in);
          ++pc;
          break;
        default:
          execute(in);
          ++pc;
      }
    }
  }

  AG_HD int start_loop(int pc, const DecodedInstruction& in) {
    const int end = pc + 1 + in.a;
    if (in.b <= 0) return end;
    frames_[depth_] = Frame{pc + 1, end, in.b, 0, iteration_};
    ++depth_;
    iteration_ = iteration_ * static_cast<uint32_t>(in.b);
    return pc + 1;
  }

  // At the end of the innermost loop's body: its next iteration, or past it.
  AG_HD int next_iteration() {
    Frame& frame = frames_[depth_ - 1];
    frame.counter += 1;
    if (frame.counter < frame.count) {
      iteration_ = frame.outer * static_cast<uint32_t>(frame.count) + static_cast<uint32_t>(frame.counter);
      return frame.begin;
    }
    iteration_ = frame.outer;
    --depth_;
    return frame.end;
  }

  // Enters the body at its end, one agent before the member's first.
  AG_HD int start_agent_loop(int pc, const DecodedInstruction& in) {
    body_begin_ = pc + 1;
    body_end_ = pc + 1 + in.a;
    accumulators_ = in.c;
    agent_depth_ = depth_;
    sums_.reset(accumulators_);
    agent_ = member_ - members_;
    in_body_ = true;
    return body_end_;
  }

  // Every member arrives here once per agent loop, whatever its agents: the totals are collective.
  AG_HD int finish_agent_loop(const DecodedInstruction* code) {
    for (int k = 0; k < accumulators_; ++k) {
      const DecodedInstruction& result = code[body_end_ + k];
      store(result, sums_.total(team_, k));
    }
    return body_end_ + accumulators_;
  }

  AG_HD AG_INLINE void accumulate(const DecodedInstruction& in) {
    if constexpr (kTangents) {
      if ((in.flags & kBDual) != 0) return sums_.add(in.a, agent_, dual_at(in.b));
    }
    sums_.add_value(in.a, agent_, value_at(in.b));
  }

  // ---- instructions --------------------------------------------------------------------------

  AG_HD AG_INLINE bool in_agent_loop(const DecodedInstruction& in) const { return (in.flags & kInAgentLoop) != 0; }
  AG_HD AG_INLINE uint32_t slot(int32_t site, uint32_t category = 0) const {
    return draw_slot(static_cast<uint32_t>(site), category, iteration_);
  }
  // The agent a draw is keyed by: this agent inside an agent loop, else the replicate's.
  AG_HD AG_INLINE uint32_t draw_agent(const DecodedInstruction& in) const {
    return in_agent_loop(in) ? static_cast<uint32_t>(agent_) : kCommonAgent;
  }

  template <class F>
  AG_HD AG_INLINE void unary(const DecodedInstruction& in, F f) {
    with(in.a, (in.flags & kADual) != 0, [&](const auto& x) { store(in, f(x)); });
  }
  template <class F>
  AG_HD AG_INLINE void binary(const DecodedInstruction& in, F f) {
    with(in.a, (in.flags & kADual) != 0, [&](const auto& x) {
      with(in.b, (in.flags & kBDual) != 0, [&](const auto& y) { store(in, f(x, y)); });
    });
  }
  template <class F>
  AG_HD AG_INLINE void compare(const DecodedInstruction& in, F f) {
    store(in, f(value_at(in.a), value_at(in.b)) ? T(1) : T(0));
  }

  template <class X, class Y>
  AG_HD AG_INLINE static auto common_min(const X& x, const Y& y) {
    using C = Common<X, Y>;
    return min(C(x), C(y));
  }
  template <class X, class Y>
  AG_HD AG_INLINE static auto common_max(const X& x, const Y& y) {
    using C = Common<X, Y>;
    return max(C(x), C(y));
  }

  AG_HD AG_INLINE void execute(const DecodedInstruction& in) {
    switch (static_cast<Op>(in.op)) {
      case Op::constant: return store(in, T(image_.constants[in.a]));
      case Op::parameter: return store(in, parameter(in.a));
      case Op::setting: return store(in, T(in_.settings[in.a]));
      case Op::step: return store(in, T(t_));
      case Op::agent_count: return store(in, T(in_.agents));
      case Op::agent_index: return store(in, T(agent_));
      case Op::loop_index: return store(in, T(frames_[in.a].counter));
      case Op::state_get: return with(in.a, (in.flags & kADual) != 0, [&](const auto& x) { store(in, x); });
      case Op::state_set:
        return with(in.b, (in.flags & kBDual) != 0, [&](const auto& x) { store_at(in.a, (in.flags & kADual) != 0, x); });
      case Op::field_get: return field_get(in);
      case Op::field_set: return field_set(in);
      case Op::neighbour_sum: return neighbour_sum(in);
      case Op::output: return output(in);
      case Op::copy: return unary(in, [](const auto& x) { return x; });
      case Op::neg: return unary(in, [](const auto& x) { return -x; });
      case Op::exp: return unary(in, [](const auto& x) { return exp(x); });
      case Op::log: return unary(in, [](const auto& x) { return log(x); });
      case Op::log1p: return unary(in, [](const auto& x) { return log1p(x); });
      case Op::expm1: return unary(in, [](const auto& x) { return expm1(x); });
      case Op::sqrt: return unary(in, [](const auto& x) { return sqrt(x); });
      case Op::abs: return unary(in, [](const auto& x) { return abs(x); });
      case Op::tanh: return unary(in, [](const auto& x) { return tanh(x); });
      case Op::add: return binary(in, [](const auto& x, const auto& y) { return x + y; });
      case Op::sub: return binary(in, [](const auto& x, const auto& y) { return x - y; });
      case Op::mul: return binary(in, [](const auto& x, const auto& y) { return x * y; });
      case Op::div: return binary(in, [](const auto& x, const auto& y) { return x / y; });
      case Op::pow: return binary(in, [](const auto& x, const auto& y) { return pow(x, y); });
      case Op::min: return binary(in, [](const auto& x, const auto& y) { return common_min(x, y); });
      case Op::max: return binary(in, [](const auto& x, const auto& y) { return common_max(x, y); });
      case Op::lt: return compare(in, [](T x, T y) { return x < y; });
      case Op::le: return compare(in, [](T x, T y) { return x <= y; });
      case Op::gt: return compare(in, [](T x, T y) { return x > y; });
      case Op::ge: return compare(in, [](T x, T y) { return x >= y; });
      case Op::eq: return compare(in, [](T x, T y) { return x == y; });
      case Op::ne: return compare(in, [](T x, T y) { return x != y; });
      case Op::logical_and: return compare(in, [](T x, T y) { return x != T(0) && y != T(0); });
      case Op::logical_or: return compare(in, [](T x, T y) { return x != T(0) || y != T(0); });
      case Op::logical_not: return store(in, value_at(in.a) == T(0) ? T(1) : T(0));
      case Op::select: return select_values(in);
      case Op::uniform: return store(in, team_.uniform(draw_agent(in), static_cast<uint32_t>(t_), slot(in.a)));
      case Op::normal: return normal(in, team_.normal(draw_agent(in), static_cast<uint32_t>(t_), slot(in.c)));
      case Op::common_normal: return normal(in, team_.normal(kCommonAgent, static_cast<uint32_t>(t_), slot(in.c)));
      case Op::bernoulli: return bernoulli(in);
      case Op::above: return above(in);
      case Op::categorical: return categorical(in);
      default: return;  // the validator admits no other instruction here (blocks handle the rest)
    }
  }

  // theta_j at step t: the parameter, times the factors of the interventions active at t (as
  // ScheduledTheta and the tile runner compute it).
  AG_HD AG_INLINE S parameter(int j) const {
    S x = parameter_scalar<S>(point_[j], in_.lane[j]);
    for (int m = 0; m < in_.schedule.count; ++m) {
      const Intervention& item = in_.schedule.items[m];
      if (item.parameter == j && item.from <= t_ && t_ < item.to) {
        const int factor = image_.parameters + m;
        x *= parameter_scalar<S>(point_[factor], in_.lane[factor]);
      }
    }
    return x;
  }

  AG_HD AG_INLINE void select_values(const DecodedInstruction& in) {
    const bool condition = value_at(in.a) != T(0);
    with(in.b, (in.flags & kBDual) != 0, [&](const auto& x) {
      with(in.c, (in.flags & kCDual) != 0, [&](const auto& y) {
        using C = Common<std::decay_t<decltype(x)>, std::decay_t<decltype(y)>>;
        store(in, select(condition, C(x), C(y)));
      });
    });
  }

  AG_HD AG_INLINE void normal(const DecodedInstruction& in, T z) {
    with(in.a, (in.flags & kADual) != 0, [&](const auto& mean) {
      with(in.b, (in.flags & kBDual) != 0, [&](const auto& sd) { store(in, mean + sd * z); });
    });
  }

  // ---- agent fields ----------------------------------------------------------------------------

  AG_HD AG_INLINE T* field(int32_t f) const { return replicate_ + image_.field_offsets[f]; }

  AG_HD AG_INLINE void field_get(const DecodedInstruction& in) {
    T* base = field(in.a);
    if constexpr (kTangents) {
      if ((in.flags & kADual) != 0) return store(in, AgentArray<S>::over(base, in_.agents).get(agent_));
    }
    store(in, base[agent_]);
  }

  AG_HD AG_INLINE void field_set(const DecodedInstruction& in) {
    T* base = field(in.a);
    with(in.b, (in.flags & kBDual) != 0, [&](const auto& x) {
      if constexpr (kTangents) {
        if ((in.flags & kADual) != 0) return AgentArray<S>::over(base, in_.agents).set(agent_, S(x));
      }
      base[agent_] = value(x);
    });
  }

  // The sum of a field over the agent's neighbours as it was at the start of the step, in edge order.
  AG_HD AG_INLINE void neighbour_sum(const DecodedInstruction& in) {
    const T* before = replicate_ + image_.snapshot_offsets[in.a];
    const GraphView graph = team_.graph();
    const int32_t first = graph.first_edge(agent_), end = graph.end_edge(agent_);
    if constexpr (kTangents) {
      if ((in.flags & kADual) != 0) {
        const AgentArray<S> values = AgentArray<S>::over(const_cast<T*>(before), in_.agents);
        S pressure(T(0));
        for (int32_t e = first; e < end; ++e) pressure += values.get(graph.neighbour(e));
        return store(in, pressure);
      }
    }
    T pressure(0);
    for (int32_t e = first; e < end; ++e) pressure += before[graph.neighbour(e)];
    store(in, pressure);
  }

  // Copies each field NEIGHBOUR_SUM reads, for this member's agents, between barriers: the
  // previous step's reads of the snapshot end before it changes, and this step's begin after.
  AG_HD void snapshot_neighbour_fields() {
    if (image_.neighbour_field_count == 0) return;
    Members::barrier(team_);
    for (int k = 0; k < image_.neighbour_field_count; ++k) {
      const int32_t f = image_.neighbour_fields[k];
      const int planes = image_.field_duals[f] != 0 ? kPlanes : 1;
      const T* from = field(f);
      T* to = replicate_ + image_.snapshot_offsets[f];
      for (int p = 0; p < planes; ++p) {
        const std::size_t plane = static_cast<std::size_t>(p) * static_cast<std::size_t>(in_.agents);
        for (int i = member_; i < in_.agents; i += members_) to[plane + i] = from[plane + i];
      }
    }
    Members::barrier(team_);
  }

  // ---- outputs and the log-probability ---------------------------------------------------------

  AG_HD AG_INLINE AgentArray<S> output_array(int32_t o) const {
    return AgentArray<S>::over(replicate_ + image_.outputs_offset + static_cast<std::size_t>(o) * kPlanes, 1);
  }

  // Only the leader records outputs, so only it keeps them.
  AG_HD AG_INLINE void output(const DecodedInstruction& in) {
    if (!team_.is_leader()) return;
    with(in.b, (in.flags & kBDual) != 0, [&](const auto& x) { output_array(in.a).set(0, S(x)); });
  }

  AG_HD void record(const ReplicateOutputs<T>& out, int t) {
    if (!team_.is_leader()) return;
    const int outputs = image_.outputs;
    for (int o = 0; o < outputs; ++o) {
      const S x = output_array(o).get(0);
      const std::size_t cell = static_cast<std::size_t>(t) * outputs + o;
      out.values[cell] = value(x);
      if (in_.tangents > 0) store_tangents(x, out.tangents + cell * in_.tangent_stride + in_.tangent_offset, in_.tangents);
    }
  }

  // Adds a draw's log p (score mode): every member for its agents' draws, the leader alone for a
  // replicate's (which every member draws alike).
  AG_HD AG_INLINE void add_log_prob(const DecodedInstruction& in, const S& log_prob) {
    if (!in_agent_loop(in) && !team_.is_leader()) return;
    set_dual(image_.log_prob_row, dual_at(image_.log_prob_row) + log_prob);
  }

  // ---- discrete draws ------------------------------------------------------------------------

  AG_HD AG_INLINE void bernoulli(const DecodedInstruction& in) {
    const DiscreteOptions o = team_.discrete();
    const T u = team_.uniform(draw_agent(in), static_cast<uint32_t>(t_), slot(in.b));
    const bool score = o.mode == DiscreteMode::score;
    with(in.a, (in.flags & kADual) != 0, [&](const auto& p) {
      using P = std::decay_t<decltype(p)>;
      if constexpr (std::is_same<P, T>::value && !std::is_same<T, S>::value) {
        T log_prob = T(0);
        const T x = ag::bernoulli(p, u, o, log_prob);
        if (score) add_log_prob(in, S(log_prob));
        store(in, x);
      } else {
        S log_prob = S(T(0));
        const S x = ag::bernoulli(S(p), u, o, log_prob);
        if (score) add_log_prob(in, log_prob);
        store(in, x);
      }
    });
  }

  AG_HD AG_INLINE void above(const DecodedInstruction& in) {
    const DiscreteOptions o = team_.discrete();
    binary(in, [o](const auto& x, const auto& a) {
      using C = Common<std::decay_t<decltype(x)>, std::decay_t<decltype(a)>>;
      return ag::above(C(x), C(a), o);
    });
  }

  // ---- categorical draws ---------------------------------------------------------------------

  // Probability j of a CATEGORICAL as P: a real's value, or a dual (a real one with zero tangents).
  template <class P>
  AG_HD AG_INLINE P probability(const DecodedInstruction& in, int j) const {
    const int32_t reg = in.a + j;
    const int r = image_.register_rows[reg];
    if constexpr (std::is_same<P, T>::value) {
      return value_at(r);
    } else {
      return image_.register_duals[reg] != 0 ? dual_at(r) : S(value_at(r));
    }
  }

  AG_HD AG_INLINE T category_uniform(int j) const { return value_at(image_.uniforms_row + j); }

  AG_HD AG_INLINE void categorical(const DecodedInstruction& in) {
    if constexpr (kTangents) {
      if ((in.flags & kADual) != 0) return categorical_as<S>(in);
    }
    categorical_as<T>(in);
  }

  // Gumbel-max over log p_j + G_j, as the tile runner's categorical_draw, with the probabilities
  // read from their registers where it reads an array (one of 16 duals would hold a thread's
  // registers on the GPU), and the categories' uniforms drawn once into the member's rows.
  template <class P>
  AG_HD void categorical_as(const DecodedInstruction& in) {
    const int n = in.b;
    const DiscreteOptions o = team_.discrete();
    const uint32_t agent = draw_agent(in);
    T best = T(0);
    int k = 0;
    for (int j = 0; j < n; ++j) {
      const T u = team_.uniform(agent, static_cast<uint32_t>(t_), slot(in.c, static_cast<uint32_t>(j)));
      *row(image_.uniforms_row + j) = u;
      const T score = log(value(probability<P>(in, j))) + gumbel_from_uniform(u);
      if (j == 0 || score > best) best = score, k = j;
    }
    const T index = T(k);
    const DiscreteMode mode = o.mode;
    if (mode == DiscreteMode::score) {
      P total = probability<P>(in, 0);
      for (int j = 1; j < n; ++j) total = total + probability<P>(in, j);
      const P chosen = probability<P>(in, k);
      add_log_prob(in, S(log(chosen / total)));
      return store(in, P(index));
    }
    if (mode == DiscreteMode::exact || (std::is_same<P, T>::value && mode != DiscreteMode::relaxed)) return store(in, P(index));
    const P relaxed = relaxed_index<P>(in, n, T(o.temperature));
    if (mode == DiscreteMode::relaxed) return store(in, relaxed);
    store(in, with_tangents_of(index, relaxed));
  }

  template <class P>
  AG_HD AG_INLINE P relaxed_score(const DecodedInstruction& in, int j, T tau) const {
    return (log(probability<P>(in, j)) + gumbel_from_uniform(category_uniform(j))) / tau;
  }

  // Sum_j j y_j with y = softmax((log p + G) / tau); the scores are computed twice (the same
  // numbers both times) rather than kept.
  template <class P>
  AG_HD AG_INLINE P relaxed_index(const DecodedInstruction& in, int n, T tau) const {
    T largest = T(0);
    for (int j = 0; j < n; ++j) {
      const T z = value(relaxed_score<P>(in, j, tau));
      largest = j == 0 ? z : (z > largest ? z : largest);
    }
    P weights = P(T(0)), weighted = P(T(0));
    for (int j = 0; j < n; ++j) {
      const P e = exp(relaxed_score<P>(in, j, tau) - largest);
      weights = weights + e;
      weighted = weighted + T(j) * e;
    }
    return weighted / weights;
  }

  Team& team_;
  const ProgramImage& image_;
  const ReplicateInputs<T>& in_;
  const T* point_;
  T* replicate_;
  int members_;
  int member_;
  T* rows_;  // the member's first row, offset by its index
  Sums sums_;
  int t_ = 0;
  int agent_ = 0;         // the agent whose body runs (in_body_)
  bool in_body_ = false;  // running an agent-loop body
  int body_begin_ = 0, body_end_ = 0, accumulators_ = 0, agent_depth_ = 0;
  int depth_ = 0;
  uint32_t iteration_ = 0;
  Frame* frames_ = nullptr;  // run_block's loop stack
};

}  // namespace ag
