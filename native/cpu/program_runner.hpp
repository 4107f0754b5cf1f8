// Runs a model program (docs/program-format.md) for one replicate on one CPU thread, numexpr's
// way: an agent loop runs a tile of kTile agents at a time, and each instruction is one dispatch
// and one plain loop over the tile's agents, over registers in structure-of-arrays layout that
// stay in cache. The loops use the C++ models' own pieces -- Dual arithmetic, the Bernoulli and
// threshold estimators, Philox rows drawn with SIMD, sums over 16 partial lanes in agent order --
// so a program gives the numbers of the C++ model written the same way, and the same numbers on
// every thread count and instruction set. Included by kernels/program.cpp once per instruction
// set and dtype.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "../core/agent_array.hpp"
#include "../core/discrete.hpp"
#include "../core/dual.hpp"
#include "../core/random.hpp"
#include "../core/team.hpp"
#include "../core/tangent_ops.hpp"
#include "../models/simulation.hpp"
#include "../program/program.hpp"
#include "partial_sums.hpp"
#include "program_layout.hpp"
#include "tile_draws.hpp"

namespace ag::cpu {
namespace {

template <class S>
class ProgramRunner {
 public:
  using T = RealOf<S>;
  static constexpr int kTile = kProgramTile;
  static constexpr int kLanes = 16;
  static constexpr int kPlanes = static_cast<int>(AgentArray<S>::reals_per_agent());
    static_assert(sizeof(S) == kPlanes * sizeof(T), "a scalar is its planes");
  static_assert(kTile % kLanes == 0 && kTile % kAgentsPerPackedGroup<T> == 0, "tiles hold whole groups");

  ProgramRunner(const Program& program, const ReplicateInputs<T>& in, const T* point, DrawKey key,
                DiscreteOptions discrete, T* workspace)
      : p_(program), in_(in), key_(key), layout_(*in.program_plan), workspace_(workspace) {
    discrete_ = discrete;
    discrete_.whole_inverse_temperature = whole_inverse_temperature(discrete.temperature);
    for (std::size_t i = 0; i < layout_.total; ++i) workspace[i] = T(0);
    registers_ = reinterpret_cast<S*>(workspace + layout_.registers);
    states_ = reinterpret_cast<S*>(workspace + layout_.states);
    for (int j = 0; j < in.parameters; ++j) theta_[j] = parameter_scalar<S>(point[j], in.lane[j]);
    const std::size_t registers = program.registers.size();
    alias_ = reinterpret_cast<int32_t*>(workspace + layout_.marks);
    listed_ = alias_ + registers;
    aliased_ = listed_ + registers;
    for (std::size_t r = 0; r < registers; ++r) alias_[r] = -1;
  }

  void run(const ReplicateOutputs<T>& out) {
    t_ = 0;
    schedule_parameters();
    run_block(p_.init.data(), 0, static_cast<int>(p_.init.size()));
    record(out, 0);
    for (int t = 1; t <= in_.steps; ++t) {
      t_ = t;
      schedule_parameters();
      snapshot_neighbour_fields();
      run_block(p_.step.data(), 0, static_cast<int>(p_.step.size()));
      record(out, t);
    }
    if (out.log_prob != nullptr) {
      out.log_prob[0] = value(log_prob_);
      store_tangents(log_prob_, out.log_prob + 1 + in_.tangent_offset, in_.tangents);
    }
  }

 private:
  static std::size_t planes_of(int32_t kind) { return is_dual(kind) ? kPlanes : 1; }

  // ---- operand views: what an instruction reads, per agent of the tile ----------------------

  struct RepReal {
    static constexpr bool kAgent = false;
    T x;
    AG_INLINE T get(int) const { return x; }
  };
  struct RepDual {
    static constexpr bool kAgent = false;
    S x;
    AG_INLINE S get(int) const { return x; }
  };
  struct AgentReal {
    static constexpr bool kAgent = true;
    const T* row;
    AG_INLINE T get(int i) const { return row[i]; }
  };
  struct AgentDual {
    static constexpr bool kAgent = true;
    AgentArray<S> array;
    AG_INLINE S get(int i) const { return array.get(i); }
  };
  struct RealOut {
    T* row;
    AG_INLINE void set(int i, T x) const { row[i] = x; }
  };
  struct DualOut {
    AgentArray<S> array;
    AG_INLINE void set(int i, const S& x) const { array.set(i, x); }
  };

  T* tile_of(int32_t reg) const { return workspace_ + layout_.tiles[reg]; }
  // The tile's slice of agent field f (its value plane first; planes `agents` apart).
  T* field_row(int32_t f) const { return workspace_ + layout_.fields[f] + tile_begin_; }

  // Calls f with the view of register `reg`: a replicate value, its tile storage, or the field
  // slice it was read from (FIELD_GET reads a field without copying it; see field_get).
  template <class F>
  AG_INLINE void view(int32_t reg, F&& f) const {
    const int32_t field = alias_[reg];
    switch (p_.registers[reg]) {
      case kReal: return f(RepReal{value(registers_[reg])});
      case kDual: return f(RepDual{registers_[reg]});
      case kAgentReal: return f(AgentReal{field >= 0 ? field_row(field) : tile_of(reg)});
      default:
        if (field >= 0) return f(AgentDual{AgentArray<S>::over(field_row(field), in_.agents)});
        return f(AgentDual{AgentArray<S>::over(tile_of(reg), kTile)});
    }
  }

  // Calls f with a real view of register `reg`'s values (a dual register's value plane).
  template <class F>
  AG_INLINE void value_view(int32_t reg, F&& f) const {
    if (is_agent(p_.registers[reg])) return f(AgentReal{alias_[reg] >= 0 ? field_row(alias_[reg]) : tile_of(reg)});
    return f(RepReal{value(registers_[reg])});
  }

  // Register reg is about to be written: it holds its own values from now on.
  AG_INLINE void unalias(int32_t reg) { alias_[reg] = -1; }

  void clear_aliases() {
    for (int k = 0; k < aliased_count_; ++k) alias_[aliased_[k]] = -1, listed_[aliased_[k]] = 0;
    aliased_count_ = 0;
  }

  template <class A, class B>
  using Common = std::conditional_t<std::is_same<A, T>::value && std::is_same<B, T>::value, T, S>;

  // Writes f(views...) to register dst: once, where every view is per replicate (and then to
  // every agent of the tile if dst is an agent register), else for every agent of the tile.
  template <class F, class... Views>
  AG_INLINE void emit(int32_t dst, F&& f, const Views&... views) {
    using Result = decltype(f(views.get(0)...));
    if constexpr (!(Views::kAgent || ...)) {
      store_replicate(dst, f(views.get(0)...));
      return;
    }
    unalias(dst);
    if (is_dual(p_.registers[dst])) {
      tile_loop(DualOut{AgentArray<S>::over(tile_of(dst), kTile)}, f, views...);
    } else if constexpr (std::is_same<Result, T>::value) {
      tile_loop(RealOut{tile_of(dst)}, f, views...);
    }
  }

  template <class Out, class F, class... Views>
  void tile_loop(const Out& out, F& f, const Views&... views) {
    const int n = tile_size_;
    if (discrete_.mode == DiscreteMode::score) {
      for (int i = 0; i < n; ++i) out.set(i, f(views.get(i)...));
    } else {
#pragma GCC ivdep
      for (int i = 0; i < n; ++i) out.set(i, f(views.get(i)...));
    }
  }

  // A replicate result into register dst, or into every agent of the tile.
  template <class R>
  void store_replicate(int32_t dst, const R& x) {
    const int32_t kind = p_.registers[dst];
    if (is_agent(kind)) unalias(dst);
    if (!is_agent(kind)) {
      registers_[dst] = S(x);
    } else if (is_dual(kind)) {
      const AgentArray<S> array = AgentArray<S>::over(tile_of(dst), kTile);
      const S value_x = S(x);
      for (int i = 0; i < tile_size_; ++i) array.set(i, value_x);
    } else {
      T* row = tile_of(dst);
      const T value_x = value(x);
      for (int i = 0; i < tile_size_; ++i) row[i] = value_x;
    }
  }

  template <class F>
  void apply1(const Instruction& in, F f) {
    view(in.a, [&](const auto& x) { emit(in.dst, f, x); });
  }
  template <class F>
  void apply2(const Instruction& in, F f) {
    view(in.a, [&](const auto& x) { view(in.b, [&](const auto& y) { emit(in.dst, f, x, y); }); });
  }

  // ---- blocks --------------------------------------------------------------------------------

  void run_block(const Instruction* code, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const Instruction& in = code[i];
      switch (in.op) {
        case Op::agent_loop: i = run_agent_loop(code, i); break;
        case Op::loop: i = run_loop(code, i, false); break;
        case Op::state_set: states_[in.a] = registers_[in.b]; break;
        case Op::output: outputs_[in.a] = registers_[in.b]; break;
        default: execute(in);
      }
    }
  }

  void run_tile_block(const Instruction* code, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const Instruction& in = code[i];
      switch (in.op) {
        case Op::loop: i = run_loop(code, i, true); break;
        case Op::accumulate: accumulate(in); break;
        default: execute(in);
      }
    }
  }

  int run_loop(const Instruction* code, int i, bool in_tile) {
    const Instruction& in = code[i];
    const int count = static_cast<int>(in.b == static_cast<int32_t>(LoopCount::constant) ? p_.constants[in.c] : in_.settings[in.c]);
    const int depth = depth_++;
    counts_[depth] = count;
    for (int k = 0; k < count; ++k) {
      counters_[depth] = k;
      if (in_tile) {
        run_tile_block(code, i + 1, i + 1 + in.a);
      } else {
        run_block(code, i + 1, i + 1 + in.a);
      }
    }
    --depth_;
    return i + in.a;
  }

  int run_agent_loop(const Instruction* code, int i) {
    const Instruction& loop = code[i];
    const int accumulators = loop.c;
    for (int k = 0; k < accumulators; ++k) sums_[k] = PartialSums<S, kLanes>();
    in_agent_loop_ = true;
    for (int begin = 0; begin < in_.agents; begin += kTile) {
      tile_begin_ = begin;
      tile_size_ = in_.agents - begin < kTile ? in_.agents - begin : kTile;
      clear_aliases();
      run_tile_block(code, i + 1, i + 1 + loop.a);
    }
    clear_aliases();
    in_agent_loop_ = false;
    for (int k = 0; k < accumulators; ++k) store_replicate(code[i + 1 + loop.a + k].dst, sums_[k].total());
    return i + loop.a + accumulators;
  }

  // Adds the source to the accumulator's lanes: agent i of the tile to lane i mod 16 (tiles start
  // at multiples of 16), as CpuTeam's sums do, a group of 16 agents at a time so that the lanes'
  // sums vectorise.
  void accumulate(const Instruction& in) {
    PartialSums<S, kLanes>& sum = sums_[in.a];
    view(in.b, [&](const auto& x) {
      using Value = decltype(x.get(0));
      const auto add = [&](int lane, int i) __attribute__((always_inline)) {
        if constexpr (std::is_same<Value, S>::value) {
          sum.add(lane, x.get(i));
        } else {
          sum.add_component(0, lane, x.get(i));
        }
      };
      int group = 0;
      for (; group + kLanes <= tile_size_; group += kLanes) {
#pragma GCC ivdep
        for (int lane = 0; lane < kLanes; ++lane) add(lane, group + lane);
      }
      for (int lane = 0; group + lane < tile_size_; ++lane) add(lane, group + lane);
    });
  }

  // ---- instructions --------------------------------------------------------------------------

  uint32_t iteration() const {
    uint32_t flat = 0;
    for (int d = 0; d < depth_; ++d) flat = flat * static_cast<uint32_t>(counts_[d]) + static_cast<uint32_t>(counters_[d]);
    return flat;
  }
  uint32_t slot(int32_t site, uint32_t category = 0) const {
    return draw_slot(static_cast<uint32_t>(site), category, iteration());
  }
  bool in_tile() const { return in_agent_loop_; }

  void execute(const Instruction& in) {
    switch (in.op) {
      case Op::constant: return store_replicate(in.dst, T(p_.constants[in.a]));
      case Op::parameter: return store_replicate(in.dst, scheduled_[in.a]);
      case Op::setting: return store_replicate(in.dst, T(in_.settings[in.a]));
      case Op::step: return store_replicate(in.dst, T(t_));
      case Op::agent_count: return store_replicate(in.dst, T(in_.agents));
      case Op::loop_index: return store_replicate(in.dst, T(counters_[in.a]));
      case Op::state_get: return store_replicate(in.dst, states_[in.a]);
      case Op::agent_index: return agent_index(in);
      case Op::field_get: return field_get(in);
      case Op::field_set: return field_set(in);
      case Op::neighbour_sum: return neighbour_sum(in);
      case Op::copy: return apply1(in, [](const auto& x) { return x; });
      case Op::neg: return apply1(in, [](const auto& x) { return -x; });
      case Op::exp: return apply1(in, [](const auto& x) { return exp(x); });
      case Op::log: return apply1(in, [](const auto& x) { return log(x); });
      case Op::log1p: return apply1(in, [](const auto& x) { return log1p(x); });
      case Op::expm1: return apply1(in, [](const auto& x) { return expm1(x); });
      case Op::sqrt: return apply1(in, [](const auto& x) { return sqrt(x); });
      case Op::abs: return apply1(in, [](const auto& x) { return abs(x); });
      case Op::tanh: return apply1(in, [](const auto& x) { return tanh(x); });
      case Op::add: return apply2(in, [](const auto& x, const auto& y) { return x + y; });
      case Op::sub: return apply2(in, [](const auto& x, const auto& y) { return x - y; });
      case Op::mul: return apply2(in, [](const auto& x, const auto& y) { return x * y; });
      case Op::div: return apply2(in, [](const auto& x, const auto& y) { return x / y; });
      case Op::pow: return apply2(in, [](const auto& x, const auto& y) { return pow(x, y); });
      case Op::min: return apply2(in, [](const auto& x, const auto& y) { return common_min(x, y); });
      case Op::max: return apply2(in, [](const auto& x, const auto& y) { return common_max(x, y); });
      case Op::lt: return compare(in, [](T x, T y) { return x < y; });
      case Op::le: return compare(in, [](T x, T y) { return x <= y; });
      case Op::gt: return compare(in, [](T x, T y) { return x > y; });
      case Op::ge: return compare(in, [](T x, T y) { return x >= y; });
      case Op::eq: return compare(in, [](T x, T y) { return x == y; });
      case Op::ne: return compare(in, [](T x, T y) { return x != y; });
      case Op::logical_and: return compare(in, [](T x, T y) { return x != T(0) && y != T(0); });
      case Op::logical_or: return compare(in, [](T x, T y) { return x != T(0) || y != T(0); });
      case Op::logical_not:
        return value_view(in.a, [&](const auto& x) { emit(in.dst, [](T v) { return v == T(0) ? T(1) : T(0); }, x); });
      case Op::select: return select_values(in);
      case Op::uniform: return uniform(in);
      case Op::normal: return normal(in);
      case Op::common_normal: return common_normal(in);
      case Op::bernoulli: return bernoulli(in);
      case Op::above: return above(in);
      case Op::categorical: return categorical(in);
      default: return;  // the validator admits no other instruction here
    }
  }

  template <class X, class Y>
  AG_INLINE static auto common_min(const X& x, const Y& y) {
    using C = Common<X, Y>;
    return min(C(x), C(y));
  }
  template <class X, class Y>
  AG_INLINE static auto common_max(const X& x, const Y& y) {
    using C = Common<X, Y>;
    return max(C(x), C(y));
  }

  template <class F>
  void compare(const Instruction& in, F f) {
    const auto test = [&](T x, T y) { return f(x, y) ? T(1) : T(0); };
    value_view(in.a, [&](const auto& x) { value_view(in.b, [&](const auto& y) { emit(in.dst, test, x, y); }); });
  }

  void select_values(const Instruction& in) {
    value_view(in.a, [&](const auto& c) {
      view(in.b, [&](const auto& x) {
        view(in.c, [&](const auto& y) {
          emit(in.dst, [](T cond, const auto& a, const auto& b) {
            using C = Common<std::decay_t<decltype(a)>, std::decay_t<decltype(b)>>;
            return select(cond != T(0), C(a), C(b));
          }, c, x, y);
        });
      });
    });
  }

  void agent_index(const Instruction& in) {
    T* indices = row(1);
    for (int i = 0; i < tile_size_; ++i) indices[i] = T(tile_begin_ + i);
    emit(in.dst, identity_, AgentReal{indices});
  }

  // The tile's slice of a field (or of its snapshot) as a view.
  template <class F>
  void field_view(int32_t field, std::size_t base, F&& f) const {
    if (is_dual(p_.fields[field])) {
      f(AgentDual{AgentArray<S>::over(workspace_ + base + tile_begin_, in_.agents)});
    } else {
      f(AgentReal{workspace_ + base + tile_begin_});
    }
  }

  // A register of the field's own kind reads the field in place until either is written (numexpr
  // style: no copy of the agents' state into the tile); another kind takes a promoted copy.
  void field_get(const Instruction& in) {
    if (p_.registers[in.dst] == (kAgentReal | p_.fields[in.a])) {
      alias_[in.dst] = in.a;
      if (!listed_[in.dst]) listed_[in.dst] = 1, aliased_[aliased_count_++] = in.dst;
      return;
    }
    field_view(in.a, layout_.fields[in.a], [&](const auto& x) { emit(in.dst, identity_, x); });
  }

  // Registers that read field f in place keep the values it had: they take a copy before f changes.
  void keep_readers_of(int32_t f) {
    for (int k = 0; k < aliased_count_; ++k) {
      const int32_t reg = aliased_[k];
      if (alias_[reg] != f) continue;
      alias_[reg] = -1;
      field_view(f, layout_.fields[f], [&](const auto& x) { emit(reg, identity_, x); });
    }
  }

  void field_set(const Instruction& in) {
    keep_readers_of(in.a);
    T* base = workspace_ + layout_.fields[in.a] + tile_begin_;
    view(in.b, [&](const auto& x) {
      if (is_dual(p_.fields[in.a])) {
        tile_loop(DualOut{AgentArray<S>::over(base, in_.agents)}, identity_, x);
      } else if constexpr (std::is_same<decltype(x.get(0)), T>::value) {
        tile_loop(RealOut{base}, identity_, x);
      }
    });
  }

  struct Identity {
    template <class X>
    AG_INLINE X operator()(const X& x) const { return x; }
  };
  Identity identity_;

  void neighbour_sum(const Instruction& in) {
    const std::size_t base = layout_.snapshots[in.a];
    const GraphView graph = in_.graph;
    const int first = tile_begin_;
    if (is_dual(p_.fields[in.a])) {
      const AgentArray<S> before = AgentArray<S>::over(workspace_ + base, in_.agents);
      const AgentArray<S> out = AgentArray<S>::over(scratch(), kTile);
      for (int i = 0; i < tile_size_; ++i) {
        S pressure(T(0));
        for (int32_t e = graph.first_edge(first + i); e < graph.end_edge(first + i); ++e) pressure += before.get(graph.neighbour(e));
        out.set(i, pressure);
      }
      emit(in.dst, identity_, AgentDual{out});
    } else {
      const T* before = workspace_ + base;
      T* out = scratch();
      for (int i = 0; i < tile_size_; ++i) {
        T pressure(0);
        for (int32_t e = graph.first_edge(first + i); e < graph.end_edge(first + i); ++e) pressure += before[graph.neighbour(e)];
        out[i] = pressure;
      }
      emit(in.dst, identity_, AgentReal{out});
    }
  }

  T* scratch() const { return workspace_ + layout_.scratch; }
  T* row(int k) const { return workspace_ + layout_.rows + static_cast<std::size_t>(k) * kTile; }

  const T* uniform_row(int32_t site, uint32_t category = 0) {
    T* out = row(0);
    draw_tile_uniforms(key_, out, tile_begin_, tile_begin_ + tile_size_, static_cast<uint32_t>(t_), slot(site, category));
    return out;
  }

  void uniform(const Instruction& in) {
    if (!in_tile()) return store_replicate(in.dst, uniform_draw<T>(key_, kCommonAgent, static_cast<uint32_t>(t_), slot(in.a)));
    emit(in.dst, identity_, AgentReal{uniform_row(in.a)});
  }

  void normal(const Instruction& in) {
    const auto shift = [](const auto& mean, const auto& sd, T z) { return mean + sd * z; };
    if (!in_tile()) {
      const T z = normal_draw<T>(key_, kCommonAgent, static_cast<uint32_t>(t_), slot(in.c));
      return view(in.a, [&](const auto& m) { view(in.b, [&](const auto& s) { emit(in.dst, shift, m, s, RepReal{z}); }); });
    }
    T* z = row(0);
    draw_tile_normals(key_, z, row(1), tile_begin_, tile_begin_ + tile_size_, static_cast<uint32_t>(t_), slot(in.c));
    view(in.a, [&](const auto& m) { view(in.b, [&](const auto& s) { emit(in.dst, shift, m, s, AgentReal{z}); }); });
  }

  void common_normal(const Instruction& in) {
    const T z = normal_draw<T>(key_, kCommonAgent, static_cast<uint32_t>(t_), slot(in.c));
    view(in.a, [&](const auto& m) {
      view(in.b, [&](const auto& s) { emit(in.dst, [](const auto& a, const auto& b, T x) { return a + b * x; }, m, s, RepReal{z}); });
    });
  }

  template <DiscreteMode M>
  DiscreteOptions options() const {
    return DiscreteOptions{M, discrete_.temperature, discrete_.sharpness, discrete_.whole_inverse_temperature};
  }

  template <class F>
  void with_mode(F&& f) {
    switch (discrete_.mode) {
      case DiscreteMode::relaxed: return f(std::integral_constant<DiscreteMode, DiscreteMode::relaxed>{});
      case DiscreteMode::straight_through: return f(std::integral_constant<DiscreteMode, DiscreteMode::straight_through>{});
      case DiscreteMode::smoothed: return f(std::integral_constant<DiscreteMode, DiscreteMode::smoothed>{});
      case DiscreteMode::score: return f(std::integral_constant<DiscreteMode, DiscreteMode::score>{});
      default: return f(std::integral_constant<DiscreteMode, DiscreteMode::exact>{});
    }
  }

  // Concrete draws (relaxed and straight-through) at a whole 1/tau take the power form, with 1/tau
  // compiled in at the default tau = 0.1, as the C++ models' kernels do; the options then tell the
  // compiler which form it is, and the tile loop has no branch left to keep it from vectorising.
  void bernoulli(const Instruction& in) {
    with_mode([&](auto mode) {
      constexpr DiscreteMode M = decltype(mode)::value;
      if constexpr (M == DiscreteMode::relaxed || M == DiscreteMode::straight_through) {
        const int32_t whole = discrete_.whole_inverse_temperature;
        if (whole == kCompiledWholeInverseTemperature) return draw_bernoulli<M, kCompiledWholeInverseTemperature>(in);
        if (whole > 0) return draw_bernoulli<M, kRunTimeWholePower>(in);
      }
      draw_bernoulli<M, kNoWholePower>(in);
    });
  }

  // The options of a draw under mode M, rebuilt inside the tile loop from constants and the two
  // temperatures, so that the compiler sees the mode (and whether 1/tau is whole) where it inlines
  // the draw: a mode read from memory would leave every mode's branch in the loop.
  template <DiscreteMode M, int32_t WholePower>
  struct FixedOptions {
    double temperature, sharpness;
    int32_t run_time_whole;  // >= 1
    AG_INLINE DiscreteOptions get() const {
      const int32_t whole = WholePower == kNoWholePower ? 0 : WholePower > 0 ? WholePower : run_time_whole > 1 ? run_time_whole : 1;
      return DiscreteOptions{M, temperature, sharpness, whole};
    }
  };

  template <DiscreteMode M, int32_t WholePower = kNoWholePower>
  FixedOptions<M, WholePower> fixed_options() const {
    return FixedOptions<M, WholePower>{discrete_.temperature, discrete_.sharpness, discrete_.whole_inverse_temperature};
  }

  template <DiscreteMode M, int32_t WholePower>
  void draw_bernoulli(const Instruction& in) {
    const FixedOptions<M, WholePower> fixed = fixed_options<M, WholePower>();
    constexpr int32_t kCompiled = WholePower > 0 ? WholePower : 0;
    S& log_prob = log_prob_;
    // Inlined into the tile loop, which then vectorises (GCC leaves a lambda this size out of line).
    const auto draw = [fixed, &log_prob](const auto& p, T u) __attribute__((always_inline)) {
      const DiscreteOptions o = fixed.get();
      if constexpr (std::is_same<std::decay_t<decltype(p)>, T>::value && !std::is_same<T, S>::value) {
        T fixed_log_prob = T(0);
        const T x = ag::bernoulli<kCompiled>(p, u, o, fixed_log_prob);
        if (M == DiscreteMode::score) log_prob += S(fixed_log_prob);
        return x;
      } else {
        return ag::bernoulli<kCompiled>(S(p), u, o, log_prob);
      }
    };
    if (!in_tile()) {
      const T u = uniform_draw<T>(key_, kCommonAgent, static_cast<uint32_t>(t_), slot(in.b));
      return view(in.a, [&](const auto& p) { emit(in.dst, draw, p, RepReal{u}); });
    }
    const AgentReal u{uniform_row(in.b)};
    view(in.a, [&](const auto& p) { emit(in.dst, draw, p, u); });
  }

  void above(const Instruction& in) {
    with_mode([&](auto mode) {
      const auto fixed = fixed_options<decltype(mode)::value>();
      apply2(in, [fixed](const auto& x, const auto& a) __attribute__((always_inline)) {
        using C = Common<std::decay_t<decltype(x)>, std::decay_t<decltype(a)>>;
        return ag::above(C(x), C(a), fixed.get());
      });
    });
  }

  // ---- categorical draws ------------------------------------------------------------------

  // Gumbel-max over the probabilities p[0..n) (need not sum to 1) with the uniforms u[0..n): the
  // index k; relaxed, the softmax-weighted index, which straight-through and smoothed take the
  // tangents of; score adds log(p_k / sum p).
  template <DiscreteMode M, class P>
  AG_INLINE static P categorical_draw(const P* p, const T* u, int n, const DiscreteOptions& o, S& log_prob) {
    T best = T(0);
    int k = 0;
    for (int j = 0; j < n; ++j) {
      const T score = log(value(p[j])) + gumbel_from_uniform(u[j]);
      if (j == 0 || score > best) best = score, k = j;
    }
    const T index = T(k);
    if constexpr (M == DiscreteMode::score) {
      add_categorical_log_prob(p, n, k, log_prob);
      return P(index);
    } else if constexpr (M == DiscreteMode::exact || (std::is_same<P, T>::value && M != DiscreteMode::relaxed)) {
      return P(index);
    } else {
      const P relaxed = relaxed_index(p, u, n, T(o.temperature));
      if constexpr (M == DiscreteMode::relaxed) return relaxed;
      else return with_tangents_of(index, relaxed);
    }
  }

  template <class P>
  AG_INLINE static void add_categorical_log_prob(const P* p, int n, int k, S& log_prob) {
    P total = p[0];
    for (int j = 1; j < n; ++j) total = total + p[j];
    P chosen = p[0];
    for (int j = 1; j < n; ++j) chosen = select(j == k, p[j], chosen);
    log_prob += S(log(chosen / total));
  }

  template <class P>
  AG_INLINE static P relaxed_index(const P* p, const T* u, int n, T tau) {
    P z[kMaxCategories];
    T largest = T(0);
    for (int j = 0; j < n; ++j) {
      z[j] = (log(p[j]) + gumbel_from_uniform(u[j])) / tau;
      largest = j == 0 ? value(z[j]) : (value(z[j]) > largest ? value(z[j]) : largest);
    }
    P weights = P(T(0)), weighted = P(T(0));
    for (int j = 0; j < n; ++j) {
      const P e = exp(z[j] - largest);
      weights = weights + e;
      weighted = weighted + T(j) * e;
    }
    return weighted / weights;
  }

  void categorical(const Instruction& in) {
    const int n = in.b;
    bool dual = false;
    for (int j = 0; j < n; ++j) dual = dual || is_dual(p_.registers[in.a + j]);
    if (dual) {
      categorical_as<S>(in);
    } else {
      categorical_as<T>(in);
    }
  }

  // Gathers the probabilities (promoted to P) and the categories' uniforms, then draws.
  template <class P>
  void categorical_as(const Instruction& in) {
    const int n = in.b;
    with_mode([&](auto mode) {
      constexpr DiscreteMode M = decltype(mode)::value;
      const DiscreteOptions o = options<M>();
      if (!in_tile()) {
        P p[kMaxCategories] = {};
        T u[kMaxCategories] = {};
        for (int j = 0; j < n; ++j) {
          p[j] = P(registers_as<P>(in.a + j));
          u[j] = uniform_draw<T>(key_, kCommonAgent, static_cast<uint32_t>(t_), slot(in.c, static_cast<uint32_t>(j)));
        }
        return store_replicate(in.dst, categorical_draw<M, P>(p, u, n, o, log_prob_));
      }
      constexpr int planes = static_cast<int>(AgentArray<P>::reals_per_agent());
      T* base = workspace_ + layout_.categories;
      const auto probabilities = [&](int j) { return AgentArray<P>::over(base + static_cast<std::size_t>(j) * planes * kTile, kTile); };
      const auto uniforms = [&](int j) { return base + static_cast<std::size_t>(kMaxCategories) * kPlanes * kTile + static_cast<std::size_t>(j) * kTile; };
      for (int j = 0; j < n; ++j) {
        const AgentArray<P> out = probabilities(j);
        view(in.a + j, [&](const auto& x) {
          for (int i = 0; i < tile_size_; ++i) out.set(i, convert<P>(x.get(i)));
        });
        draw_tile_uniforms(key_, row(0), tile_begin_, tile_begin_ + tile_size_, static_cast<uint32_t>(t_), slot(in.c, static_cast<uint32_t>(j)));
        T* kept = uniforms(j);
        for (int i = 0; i < tile_size_; ++i) kept[i] = row(0)[i];
      }
      T* result_row = scratch();
      const AgentArray<P> result = AgentArray<P>::over(result_row, kTile);
      for (int i = 0; i < tile_size_; ++i) {
        P p[kMaxCategories] = {};
        T u[kMaxCategories] = {};
        for (int j = 0; j < n; ++j) {
          p[j] = probabilities(j).get(i);
          u[j] = uniforms(j)[i];
        }
        result.set(i, categorical_draw<M, P>(p, u, n, o, log_prob_));
      }
      if constexpr (std::is_same<P, T>::value) {
        emit(in.dst, identity_, AgentReal{result_row});
      } else {
        emit(in.dst, identity_, AgentDual{result});
      }
    });
  }

  // x as P: its value alone where P is a real (a real register read through a dual view).
  template <class P, class X>
  AG_INLINE static P convert(const X& x) {
    if constexpr (std::is_same<P, T>::value) return value(x);
    else return P(x);
  }

  template <class P>
  P registers_as(int32_t reg) const {
    if constexpr (std::is_same<P, T>::value) return value(registers_[reg]);
    else return registers_[reg];
  }

  // ---- steps ---------------------------------------------------------------------------------

  // The parameters at step t_: theta with the factors of the interventions active at t_ applied,
  // as ScheduledTheta does.
  void schedule_parameters() {
    const int count = static_cast<int>(p_.parameters.size());
    for (int j = 0; j < count; ++j) {
      S x = theta_[j];
      for (int m = 0; m < in_.schedule.count; ++m) {
        const Intervention& item = in_.schedule.items[m];
        if (item.parameter == j && item.from <= t_ && t_ < item.to) x *= theta_[count + m];
      }
      scheduled_[j] = x;
    }
  }

  void snapshot_neighbour_fields() {
    for (int32_t f : p_.neighbour_fields) {
      const std::size_t reals = planes_of(p_.fields[f]) * static_cast<std::size_t>(in_.agents);
      std::memcpy(workspace_ + layout_.snapshots[f], workspace_ + layout_.fields[f], reals * sizeof(T));
    }
  }

  void record(const ReplicateOutputs<T>& out, int t) {
    const int outputs = static_cast<int>(p_.outputs.size());
    for (int o = 0; o < outputs; ++o) {
      const std::size_t cell = static_cast<std::size_t>(t) * outputs + o;
      out.values[cell] = value(outputs_[o]);
      if (in_.tangents > 0) store_tangents(outputs_[o], out.tangents + cell * in_.tangent_stride + in_.tangent_offset, in_.tangents);
    }
  }

  const Program& p_;
  const ReplicateInputs<T>& in_;
  DrawKey key_;
  DiscreteOptions discrete_;
  const ProgramPlan& layout_;
  T* workspace_;
  S* registers_;
  S* states_;
  S theta_[kMaxParameters];
  S scheduled_[kMaxParameters];
  S outputs_[kMaxProgramOutputs];
  S log_prob_ = S(T(0));
  PartialSums<S, kLanes> sums_[kMaxAccumulators];
  // In the workspace (no standard containers in a per-set translation unit: program_layout.hpp).
  int32_t* alias_;    // per register: the field it reads in place this tile, or -1
  int32_t* listed_;   // per register: whether it is in aliased_
  int32_t* aliased_;  // registers given an alias this tile, once each
  int aliased_count_ = 0;
  int t_ = 0;
  int tile_begin_ = 0;
  int tile_size_ = 0;
  bool in_agent_loop_ = false;
  int depth_ = 0;
  int counts_[kMaxLoopDepth] = {};
  int counters_[kMaxLoopDepth] = {};
};

}  // namespace
}  // namespace ag::cpu
