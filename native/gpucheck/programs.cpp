#include "programs.hpp"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>

#include "../program/validate.hpp"
#include "requests.hpp"

namespace ag::gpucheck {
namespace {

constexpr int32_t R = kReal, RD = kDual, A = kAgentReal, AD = kAgentDual;

// Registers and constants of a program under construction.
class Assembler {
 public:
  explicit Assembler(Program& program) : p_(program) {}
  int32_t reg(int32_t kind) {
    p_.registers.push_back(kind);
    return static_cast<int32_t>(p_.registers.size()) - 1;
  }
  // Consecutive registers (a CATEGORICAL's probabilities); returns the first.
  int32_t regs(std::initializer_list<int32_t> kinds) {
    const int32_t first = static_cast<int32_t>(p_.registers.size());
    for (int32_t kind : kinds) reg(kind);
    return first;
  }
  int32_t k(double x) {
    const auto at = std::find(p_.constants.begin(), p_.constants.end(), x);
    if (at != p_.constants.end()) return static_cast<int32_t>(at - p_.constants.begin());
    p_.constants.push_back(x);
    return static_cast<int32_t>(p_.constants.size()) - 1;
  }
  // A replicate register holding the constant x.
  int32_t constant(std::vector<Instruction>& code, double x) {
    const int32_t r = reg(R);
    code.push_back(Instruction{Op::constant, r, k(x), 0, 0});
    return r;
  }

 private:
  Program& p_;
};

// Instructions of one block, with loops opened and closed around their bodies.
class Code {
 public:
  explicit Code(std::vector<Instruction>& code) : code_(code) {}
  void operator()(Op op, int32_t dst = 0, int32_t a = 0, int32_t b = 0, int32_t c = 0) {
    code_.push_back(Instruction{op, dst, a, b, c});
  }
  // AGENT_LOOP (b: 0 forEach, 1 sum; c accumulators) or LOOP (b: 0 constant, 1 setting; c its index).
  int open(Op op, int32_t b, int32_t c) {
    code_.push_back(Instruction{op, 0, 0, b, c});
    return static_cast<int>(code_.size()) - 1;
  }
  void close(int at) { code_[at].a = static_cast<int32_t>(code_.size()) - at - 1; }
  std::vector<Instruction>& code() { return code_; }

 private:
  std::vector<Instruction>& code_;
};

ProgramSetting integer_setting(const char* name, double fallback, double min, double max) {
  return ProgramSetting{name, fallback, min, max, true};
}

std::shared_ptr<Program> sir_twin() {
  auto p = std::make_shared<Program>();
  p->name = "sirTwin";
  p->parameters = {{"beta", Constraint::positive, 0.2}, {"gamma", Constraint::positive, 0.05}, {"I0", Constraint::unit, 0.01}};
  p->settings = {integer_setting("agents", 10000, 1, 1e8), integer_setting("steps", 60, 1, 1e6), {"dt", 1, 1e-6, 1e3, false}};
  p->outputs = {"newInfections", "newRecoveries"};
  p->fields = {kDual, kDual};  // susceptible, infected
  p->states = {kDual};         // infected total
  Assembler as(*p);
  {
    Code e(p->init);
    const int32_t i0 = as.reg(RD), one = as.reg(R), b = as.reg(AD), s = as.reg(AD), total = as.reg(RD), n = as.reg(R),
                  fraction = as.reg(RD), zero = as.reg(R);
    e(Op::parameter, i0, 2);
    e(Op::constant, one, as.k(1));
    const int loop = e.open(Op::agent_loop, 1, 1);
    e(Op::bernoulli, b, i0, 0);
    e(Op::field_set, 0, 1, b);
    e(Op::sub, s, one, b);
    e(Op::field_set, 0, 0, s);
    e(Op::accumulate, 0, 0, b);
    e.close(loop);
    e(Op::sum_result, total, 0);
    e(Op::state_set, 0, 0, total);
    e(Op::agent_count, n);
    e(Op::div, fraction, total, n);
    e(Op::output, 0, 0, fraction);
    e(Op::constant, zero, as.k(0));
    e(Op::output, 0, 1, zero);
  }
  {
    Code e(p->step);
    const int32_t n = as.reg(R), dt = as.reg(R), beta = as.reg(RD), minus_beta = as.reg(RD), total = as.reg(RD),
                  fraction = as.reg(RD), t3 = as.reg(RD), t4 = as.reg(RD), em = as.reg(RD), p_inf = as.reg(RD),
                  gamma = as.reg(RD), minus_gamma = as.reg(RD), g2 = as.reg(RD), gm = as.reg(RD), p_rec = as.reg(RD);
    e(Op::agent_count, n);
    e(Op::setting, dt, 2);
    e(Op::parameter, beta, 0);
    e(Op::neg, minus_beta, beta);
    e(Op::state_get, total, 0);
    e(Op::div, fraction, total, n);
    e(Op::mul, t3, minus_beta, fraction);
    e(Op::mul, t4, t3, dt);
    e(Op::expm1, em, t4);
    e(Op::neg, p_inf, em);
    e(Op::parameter, gamma, 1);
    e(Op::neg, minus_gamma, gamma);
    e(Op::mul, g2, minus_gamma, dt);
    e(Op::expm1, gm, g2);
    e(Op::neg, p_rec, gm);
    const int32_t s = as.reg(AD), i = as.reg(AD), b1 = as.reg(AD), infected = as.reg(AD), b2 = as.reg(AD),
                  recovered = as.reg(AD), s2 = as.reg(AD), i2 = as.reg(AD), i3 = as.reg(AD);
    const int loop = e.open(Op::agent_loop, 1, 2);
    e(Op::field_get, s, 0);
    e(Op::field_get, i, 1);
    e(Op::bernoulli, b1, p_inf, 1);
    e(Op::mul, infected, s, b1);
    e(Op::bernoulli, b2, p_rec, 2);
    e(Op::mul, recovered, i, b2);
    e(Op::sub, s2, s, infected);
    e(Op::field_set, 0, 0, s2);
    e(Op::add, i2, i, infected);
    e(Op::sub, i3, i2, recovered);
    e(Op::field_set, 0, 1, i3);
    e(Op::accumulate, 0, 0, infected);
    e(Op::accumulate, 0, 1, recovered);
    e.close(loop);
    const int32_t infections = as.reg(RD), recoveries = as.reg(RD), total2 = as.reg(RD), total3 = as.reg(RD),
                  o1 = as.reg(RD), o2 = as.reg(RD);
    e(Op::sum_result, infections, 0);
    e(Op::sum_result, recoveries, 1);
    e(Op::add, total2, total, infections);
    e(Op::sub, total3, total2, recoveries);
    e(Op::state_set, 0, 0, total3);
    e(Op::div, o1, infections, n);
    e(Op::output, 0, 0, o1);
    e(Op::div, o2, recoveries, n);
    e(Op::output, 0, 1, o2);
  }
  return p;
}

// SIR on a contact graph: p_inf = (1 - (1 - beta)^(infected neighbours)) * min(1, degree), the
// degree a NEIGHBOUR_SUM of a real field of ones.
std::shared_ptr<Program> network_twin() {
  auto p = std::make_shared<Program>();
  p->name = "networkTwin";
  p->parameters = {{"beta", Constraint::unit, 0.05}, {"gamma", Constraint::unit, 0.1}, {"I0", Constraint::unit, 0.02}};
  p->settings = {integer_setting("agents", 1000, 1, 1e8), integer_setting("steps", 30, 1, 1e6)};
  p->outputs = {"infected", "recovered"};
  p->fields = {kDual, kDual, kDual, kReal};  // susceptible, infected, recovered, one
  Assembler as(*p);
  {
    Code e(p->init);
    const int32_t i0 = as.reg(RD), one = as.constant(p->init, 1), zero = as.constant(p->init, 0);
    e(Op::parameter, i0, 2);
    const int32_t b = as.reg(AD), s = as.reg(AD);
    const int loop = e.open(Op::agent_loop, 1, 1);
    e(Op::bernoulli, b, i0, 0);
    e(Op::field_set, 0, 1, b);
    e(Op::sub, s, one, b);
    e(Op::field_set, 0, 0, s);
    e(Op::field_set, 0, 3, one);
    e(Op::accumulate, 0, 0, b);
    e.close(loop);
    const int32_t total = as.reg(RD);
    e(Op::sum_result, total, 0);
    e(Op::output, 0, 0, total);
    e(Op::output, 0, 1, zero);
  }
  {
    Code e(p->step);
    const int32_t beta = as.reg(RD), gamma = as.reg(RD), one = as.constant(p->step, 1), keep = as.reg(RD);
    e(Op::parameter, beta, 0);
    e(Op::parameter, gamma, 1);
    e(Op::sub, keep, one, beta);
    const int32_t s = as.reg(AD), i = as.reg(AD), r = as.reg(AD), pressure = as.reg(AD), degree = as.reg(A),
                  escape = as.reg(AD), p_inf = as.reg(AD), capped = as.reg(A), infected = as.reg(AD), new_i = as.reg(AD),
                  recovered = as.reg(AD), new_r = as.reg(AD), x = as.reg(AD);
    const int loop = e.open(Op::agent_loop, 1, 2);
    e(Op::field_get, s, 0);
    e(Op::field_get, i, 1);
    e(Op::field_get, r, 2);
    e(Op::neighbour_sum, pressure, 1);
    e(Op::neighbour_sum, degree, 3);
    e(Op::pow, escape, keep, pressure);
    e(Op::sub, p_inf, one, escape);
    e(Op::min, capped, degree, one);
    e(Op::mul, p_inf, p_inf, capped);
    e(Op::bernoulli, infected, p_inf, 1);
    e(Op::mul, new_i, s, infected);
    e(Op::bernoulli, recovered, gamma, 2);
    e(Op::mul, new_r, i, recovered);
    e(Op::sub, x, s, new_i);
    e(Op::field_set, 0, 0, x);
    e(Op::add, x, i, new_i);
    e(Op::sub, x, x, new_r);
    e(Op::field_set, 0, 1, x);
    e(Op::accumulate, 0, 0, x);
    e(Op::add, x, r, new_r);
    e(Op::field_set, 0, 2, x);
    e(Op::accumulate, 0, 1, x);
    e.close(loop);
    const int32_t infected_total = as.reg(RD), recovered_total = as.reg(RD);
    e(Op::sum_result, infected_total, 0);
    e(Op::sum_result, recovered_total, 1);
    e(Op::output, 0, 0, infected_total);
    e(Op::output, 0, 1, recovered_total);
  }
  return p;
}

std::shared_ptr<Program> kitchen_sink() {
  auto p = std::make_shared<Program>();
  p->name = "kitchenSink";
  p->parameters = {{"a", Constraint::positive, 0.5}, {"b", Constraint::unit, 0.3},      {"c", Constraint::real, 0.2},
                   {"d", Constraint::positive, 1.5}, {"e", Constraint::unit, 0.6},      {"f", Constraint::real, -0.4},
                   {"g", Constraint::positive, 0.8}};
  p->settings = {integer_setting("agents", 1000, 1, 1e8), integer_setting("steps", 20, 1, 1e6),
                 integer_setting("rounds", 3, 0, 8), {"scale", 2, 0.1, 10, false}};
  p->outputs = {"meanWealth", "typeTwo", "level", "signal", "initOnly", "counter"};
  p->fields = {kDual, kReal, kDual};  // wealth, type, position
  p->states = {kDual, kReal};         // level, counter
  Assembler as(*p);
  {
    Code e(p->init);
    const int32_t a = as.reg(RD), half = as.constant(p->init, 0.5), one = as.constant(p->init, 1), two_a = as.reg(RD);
    e(Op::parameter, a, 0);
    const int32_t w = as.reg(AD), w_abs = as.reg(AD), u = as.reg(A), index = as.reg(A), n = as.reg(R), fraction = as.reg(A),
                  type = as.reg(A);
    const int loop = e.open(Op::agent_loop, 0, 0);
    e(Op::normal, w, a, half, 0);
    e(Op::abs, w_abs, w);
    e(Op::field_set, 0, 0, w_abs);
    e(Op::uniform, u, 1);
    e(Op::agent_index, index);
    e(Op::agent_count, n);  // a replicate register inside the loop (pure)
    e(Op::div, fraction, index, n);
    e(Op::add, type, u, fraction);
    e(Op::field_set, 0, 1, type);
    e(Op::field_set, 0, 2, w);
    e.close(loop);
    e(Op::state_set, 0, 0, a);
    e(Op::state_set, 0, 1, one);
    e(Op::mul, two_a, a, as.constant(p->init, 2));
    e(Op::output, 0, 0, a);
    e(Op::output, 0, 1, one);
    e(Op::output, 0, 2, a);
    e(Op::output, 0, 3, half);
    e(Op::output, 0, 4, two_a);
    e(Op::output, 0, 5, one);
  }
  {
    Code e(p->step);
    std::vector<Instruction>& code = e.code();
    int32_t theta[7];
    for (int j = 0; j < 7; ++j) {
      theta[j] = as.reg(RD);
      e(Op::parameter, theta[j], j);
    }
    const int32_t b = theta[1], c = theta[2], d = theta[3], ee = theta[4], f = theta[5], g = theta[6];
    const int32_t level = as.reg(RD), counter = as.reg(R), t = as.reg(R), signal = as.reg(RD), flip = as.reg(RD), ru = as.reg(R),
                  rn = as.reg(RD), scale = as.reg(R);
    e(Op::state_get, level, 0);
    e(Op::state_get, counter, 1);
    e(Op::step, t);
    e(Op::setting, scale, 3);
    e(Op::common_normal, signal, c, b, 10);
    e(Op::bernoulli, flip, ee, 11);  // per replicate, dual p
    e(Op::uniform, ru, 12);
    e(Op::normal, rn, f, g, 13);     // per replicate
    const int32_t rp = as.regs({RD, RD, R}), rc = as.reg(RD);
    e(Op::copy, rp, b);
    e(Op::copy, rp + 1, ee);
    e(Op::constant, rp + 2, as.k(0.25));
    e(Op::categorical, rc, rp, 3, 14);  // per replicate
    const int32_t zero = as.constant(code, 0), one = as.constant(code, 1), tenth = as.constant(code, 0.1),
                  hundredth = as.constant(code, 0.01), thousandth = as.constant(code, 0.001);
    const int32_t spread = as.reg(RD);
    e(Op::copy, spread, zero);
    const int32_t total_w = as.reg(RD), total_two = as.reg(R), total_th = as.reg(RD);

    // A replicate-level loop of `rounds` sum loops, each with a loop inside the body.
    const int rounds = e.open(Op::loop, 1, 2);
    {
      const int32_t round = as.reg(R);
      e(Op::loop_index, round, 0);
      const int32_t w = as.reg(AD), type = as.reg(A), pos = as.reg(AD), k2 = as.reg(RD), x = as.reg(AD), th = as.reg(AD),
                    coin = as.reg(AD), z = as.reg(AD), acc = as.reg(AD), inner = as.reg(R), uu = as.reg(A),
                    q = as.regs({AD, AD, R, A}), u2 = as.reg(A), cat = as.reg(AD), is_two = as.reg(A), new_type = as.reg(A),
                    two = as.reg(R), tmp = as.reg(AD), tmp_real = as.reg(A), logic = as.reg(A), wealth = as.reg(AD),
                    contribution = as.reg(AD);
      const int body = e.open(Op::agent_loop, 1, 3);
      e(Op::field_get, w, 0);
      e(Op::field_get, type, 1);
      e(Op::field_get, pos, 2);
      e(Op::mul, k2, d, round);  // a replicate register written twice in the body (pure)
      e(Op::add, k2, k2, c);
      e(Op::mul, x, w, k2);
      e(Op::above, th, x, signal);
      e(Op::bernoulli, coin, ee, 20);  // per agent, replicate p
      e(Op::normal, z, pos, b, 21);
      e(Op::copy, acc, pos);
      const int inner_loop = e.open(Op::loop, 0, as.k(2));
      e(Op::loop_index, inner, 1);
      e(Op::uniform, uu, 22);  // keyed by round * 2 + inner
      e(Op::add, acc, acc, uu);
      e(Op::mul, acc, acc, as.constant(code, 0.9));
      e(Op::add, acc, acc, inner);
      e.close(inner_loop);
      e(Op::abs, tmp, w);
      e(Op::add, q, tmp, tenth);
      e(Op::mul, tmp, type, ee);
      e(Op::add, q + 1, tmp, as.constant(code, 0.05));
      e(Op::constant, q + 2, as.k(0.3));
      e(Op::uniform, u2, 23);
      e(Op::add, tmp_real, u2, hundredth);
      e(Op::sqrt, q + 3, tmp_real);
      e(Op::categorical, cat, q, 4, 24);
      e(Op::ge, is_two, cat, as.constant(code, 1.5));
      e(Op::constant, two, as.k(2));
      e(Op::select, new_type, is_two, two, type);
      e(Op::field_set, 0, 1, new_type);
      // wealth: w + 0.1 tanh(z) + 0.01 log1p(|acc|) - 0.05 expm1(-|x|) + 0.01 * logic, in [0.01, scale]
      e(Op::tanh, tmp, z);
      e(Op::mul, wealth, tmp, tenth);
      e(Op::add, wealth, wealth, w);
      e(Op::abs, tmp, acc);
      e(Op::log1p, tmp, tmp);
      e(Op::mul, tmp, tmp, hundredth);
      e(Op::add, wealth, wealth, tmp);
      e(Op::abs, tmp, x);
      e(Op::neg, tmp, tmp);
      e(Op::expm1, tmp, tmp);
      e(Op::mul, tmp, tmp, as.constant(code, 0.05));
      e(Op::sub, wealth, wealth, tmp);
      e(Op::gt, logic, uu, as.constant(code, 0.5));
      e(Op::lt, tmp_real, u2, as.constant(code, 0.25));
      e(Op::logical_not, tmp_real, tmp_real);
      e(Op::logical_and, logic, logic, tmp_real);
      e(Op::le, tmp_real, type, one);
      e(Op::logical_or, logic, logic, tmp_real);
      e(Op::ne, tmp_real, cat, zero);
      e(Op::logical_or, logic, logic, tmp_real);
      e(Op::eq, tmp_real, cat, one);
      e(Op::logical_and, logic, logic, tmp_real);
      e(Op::mul, tmp_real, logic, hundredth);
      e(Op::add, wealth, wealth, tmp_real);
      e(Op::min, wealth, wealth, scale);
      e(Op::max, wealth, wealth, hundredth);
      e(Op::field_set, 0, 0, wealth);
      e(Op::mul, tmp, pos, as.constant(code, 0.5));
      e(Op::mul, x, z, tenth);
      e(Op::add, tmp, tmp, x);
      e(Op::field_set, 0, 2, tmp);
      e(Op::mul, contribution, th, coin);
      e(Op::accumulate, 0, 0, wealth);
      e(Op::accumulate, 0, 1, is_two);
      e(Op::accumulate, 0, 2, contribution);
      e.close(body);
      e(Op::sum_result, total_w, 0);
      e(Op::sum_result, total_two, 1);
      e(Op::sum_result, total_th, 2);
      e(Op::add, spread, spread, total_th);
    }
    e.close(rounds);

    // A forEach loop of powers, logarithms and exponentials.
    {
      const int32_t w = as.reg(AD), root = as.reg(AD), grown = as.reg(AD), lg = as.reg(AD), ex = as.reg(AD), tmp = as.reg(AD),
                    cap = as.reg(RD);
      const int body = e.open(Op::agent_loop, 0, 0);
      e(Op::field_get, w, 0);
      e(Op::pow, root, w, as.constant(code, 0.5));
      e(Op::pow, grown, as.constant(code, 1.1), rn);
      e(Op::pow, tmp, w, g);
      e(Op::mul, root, root, grown);
      e(Op::add, root, root, tmp);
      e(Op::add, tmp, w, one);
      e(Op::log, lg, tmp);
      e(Op::neg, tmp, w);
      e(Op::exp, ex, tmp);
      e(Op::add, ex, ex, one);
      e(Op::add, tmp, root, lg);
      e(Op::div, tmp, tmp, ex);
      e(Op::mul, tmp, tmp, as.constant(code, 0.45));  // contracting: wealth settles near 0.8
      e(Op::mul, cap, g, as.constant(code, 5));
      e(Op::min, tmp, tmp, cap);
      e(Op::max, tmp, tmp, hundredth);
      e(Op::field_set, 0, 0, tmp);
      e.close(body);
    }

    // A loop that never runs.
    const int never = e.open(Op::loop, 0, as.k(0));
    e(Op::output, 0, 4, zero);
    e.close(never);

    const int32_t n = as.reg(R), mean_w = as.reg(RD), x = as.reg(RD), next = as.reg(RD), count = as.reg(R);
    e(Op::agent_count, n);
    e(Op::div, mean_w, total_w, n);
    e(Op::output, 0, 0, mean_w);
    e(Op::output, 0, 1, total_two);
    e(Op::div, x, spread, n);
    e(Op::mul, next, x, tenth);
    e(Op::add, next, next, level);
    e(Op::mul, x, flip, hundredth);
    e(Op::add, next, next, x);
    e(Op::mul, x, rn, thousandth);
    e(Op::add, next, next, x);
    e(Op::mul, x, rc, hundredth);
    e(Op::add, next, next, x);
    e(Op::mul, x, t, thousandth);
    e(Op::add, next, next, x);
    e(Op::mul, x, ru, thousandth);
    e(Op::add, next, next, x);
    e(Op::state_set, 0, 0, next);
    e(Op::output, 0, 2, next);
    e(Op::output, 0, 3, signal);
    e(Op::add, count, counter, one);
    e(Op::state_set, 0, 1, count);
    e(Op::output, 0, 5, count);
  }
  return p;
}

}  // namespace

std::vector<std::string> program_names() { return {"sirTwin", "networkTwin", "kitchenSink"}; }

std::shared_ptr<const Program> test_program(const std::string& name) {
  std::shared_ptr<Program> program;
  if (name == "sirTwin") program = sir_twin();
  if (name == "networkTwin") program = network_twin();
  if (name == "kitchenSink") program = kitchen_sink();
  if (!program) throw std::runtime_error("unknown test program '" + name + "'");
  try {
    validate_program(*program);
  } catch (const ProgramError& error) {
    throw std::runtime_error("test program '" + name + "' is malformed: " + error.what());
  }
  return program;
}

SimulationRequest program_request(const std::string& name, int agents, int steps, int replicates, uint64_t seed) {
  SimulationRequest request;
  request.program = test_program(name);
  const Program& program = *request.program;
  request.model = program.name;
  request.replicates = replicates;
  request.seed = seed;
  request.discrete = DiscreteOptions{DiscreteMode::straight_through, 0.1, 5.0};
  request.dtype = Dtype::float32;
  for (const ProgramParameter& parameter : program.parameters) request.theta.push_back(parameter.reference);
  for (const ProgramSetting& setting : program.settings) request.settings.push_back(setting.fallback);
  const auto clamp = [](double x, const ProgramSetting& s) { return std::min(std::max(x, s.min), s.max); };
  request.settings[kAgentsSetting] = clamp(agents, program.settings[kAgentsSetting]);
  request.settings[kStepsSetting] = clamp(steps, program.settings[kStepsSetting]);
  if (program.uses_graph) {
    ring_lattice_graph(static_cast<int>(request.settings[kAgentsSetting]), 5, request.graph_offsets, request.graph_neighbours);
  }
  try {
    check_loop_counts(program, request.settings);
  } catch (const ProgramError& error) {
    throw std::runtime_error("test program '" + name + "': " + error.what());
  }
  return request;
}

}  // namespace ag::gpucheck
