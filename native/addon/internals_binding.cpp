#include "internals_binding.hpp"

#include <string>
#include <vector>

#include "../core/discrete.hpp"
#include "../core/dual.hpp"
#include "../core/philox.hpp"
#include "../core/random.hpp"
#include "../cpu/cpu_backend.hpp"
#include "argument_error.hpp"
#include "js_values.hpp"

namespace ag::addon {
namespace {

using Dual2 = Dual<double, 2>;

uint32_t word(const Napi::Value& value, const std::string& name) {
  return static_cast<uint32_t>(integer_in(value, name, 0, 0xFFFFFFFFll));
}

Napi::Array array_of(const Napi::Value& value, const std::string& name, uint32_t length) {
  if (!value.IsArray() || value.As<Napi::Array>().Length() != length) {
    throw_type_error(name + " must be an array of " + std::to_string(length) + " integers");
  }
  return value.As<Napi::Array>();
}

// philox(rounds, [c0, c1, c2, c3], [k0, k1]) -> [w0, w1, w2, w3]
Napi::Value philox(const Napi::CallbackInfo& info) {
  const int64_t rounds = integer_in(info[0], "rounds", 7, 10);
  const Napi::Array c = array_of(info[1], "counter", 4);
  const Napi::Array k = array_of(info[2], "key", 2);
  const Philox4x32Counter counter{{word(c.Get(0u), "counter[0]"), word(c.Get(1u), "counter[1]"),
                                   word(c.Get(2u), "counter[2]"), word(c.Get(3u), "counter[3]")}};
  const Philox4x32Key key{{word(k.Get(0u), "key[0]"), word(k.Get(1u), "key[1]")}};
  Philox4x32Counter out;
  if (rounds == 7) {
    out = philox4x32<7>(counter, key);
  } else if (rounds == 10) {
    out = philox4x32<10>(counter, key);
  } else {
    throw_range_error("rounds must be 7 or 10, got " + std::to_string(rounds));
  }
  Napi::Array result = Napi::Array::New(info.Env(), 4);
  for (uint32_t i = 0; i < 4; ++i) result.Set(i, static_cast<double>(out.v[i]));
  return result;
}

template <class T>
T variate(const std::string& kind, const DrawKey& key, uint32_t agent) {
  if (kind == "uniform") return uniform_draw<T>(key, agent, 0, 0);
  if (kind == "normal") return normal_draw<T>(key, agent, 0, 0);
  if (kind == "logistic") return logistic_from_uniform(uniform_draw<T>(key, agent, 0, 0));
  if (kind == "gumbel") return gumbel_from_uniform(uniform_draw<T>(key, agent, 0, 0));
  throw_range_error("kind must be 'uniform', 'normal', 'logistic' or 'gumbel', got '" + kind + "'");
}

// variates(kind, dtype, seed, count) -> Float64Array of draws for agents 0..count-1 of replicate 0, step 0, slot 0
Napi::Value variates(const Napi::CallbackInfo& info) {
  const std::string kind = string_value(info[0], "kind");
  const bool float64 = string_value(info[1], "dtype") == "float64";
  const uint64_t seed = seed_value(info[2], "seed");
  const int64_t count = integer_in(info[3], "count", 1, 1 << 24);
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), static_cast<std::size_t>(count));
  const DrawKey key{seed, 0};
  for (int64_t i = 0; i < count; ++i) {
    const uint32_t agent = static_cast<uint32_t>(i);
    out[static_cast<std::size_t>(i)] = float64 ? variate<double>(kind, key, agent) : static_cast<double>(variate<float>(kind, key, agent));
  }
  return out;
}

// uniformSums(seed, replicates, agents, steps, threads) -> Float64Array: per replicate, the sum of
// its float uniforms at slot 0 over `steps` steps, drawn by the CPU kernels as a model's agent
// loops draw them (cpu_backend.hpp); for the benchmark's generator bound. Runs on the calling
// thread and `threads` - 1 workers (0: every core).
Napi::Value uniform_sums(const Napi::CallbackInfo& info) {
  const uint64_t seed = seed_value(info[0], "seed");
  const int replicates = static_cast<int>(integer_in(info[1], "replicates", 1, 1 << 20));
  const int agents = static_cast<int>(integer_in(info[2], "agents", 1, 100'000'000));
  const int steps = static_cast<int>(integer_in(info[3], "steps", 1, 1'000'000));
  const int threads = static_cast<int>(integer_in(info[4], "threads", 0, 1024));
  std::vector<float> sums(static_cast<std::size_t>(replicates));
  cpu::uniform_sums(seed, replicates, agents, steps, threads, sums.data());
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), sums.size());
  for (std::size_t r = 0; r < sums.size(); ++r) out[r] = static_cast<double>(sums[r]);
  return out;
}

Dual2 binary_rule(const std::string& fn, const Dual2& x, const Dual2& y) {
  if (fn == "add") return x + y;
  if (fn == "sub") return x - y;
  if (fn == "mul") return x * y;
  if (fn == "div") return x / y;
  if (fn == "pow") return pow(x, y);
  if (fn == "min") return min(x, y);
  if (fn == "max") return max(x, y);
  if (fn == "exp") return exp(x);
  if (fn == "log") return log(x);
  if (fn == "log1p") return log1p(x);
  if (fn == "expm1") return expm1(x);
  if (fn == "sqrt") return sqrt(x);
  if (fn == "abs") return abs(x);
  if (fn == "tanh") return tanh(x);
  if (fn == "sigmoid") return sigmoid(x);
  if (fn == "softplus") return softplus(x);
  if (fn == "neg") return -x;
  throw_range_error("unknown dual-number function '" + fn + "'");
}

// dual(fn, x, y) -> [f(x, y), df/dx, df/dy] (unary functions ignore y)
Napi::Value dual(const Napi::CallbackInfo& info) {
  const std::string fn = string_value(info[0], "fn");
  const Dual2 x = Dual2::variable(finite_number(info[1], "x"), 0);
  const Dual2 y = Dual2::variable(info[2].IsUndefined() ? 0.0 : finite_number(info[2], "y"), 1);
  const Dual2 r = binary_rule(fn, x, y);
  Napi::Array out = Napi::Array::New(info.Env(), 3);
  out.Set(0u, r.v);
  out.Set(1u, r.d[0]);
  out.Set(2u, r.d[1]);
  return out;
}

DiscreteOptions options_from(const Napi::Value& mode_value, double tau, double sharpness) {
  const std::string mode = string_value(mode_value, "mode");
  DiscreteOptions o{DiscreteMode::exact, tau, sharpness, whole_inverse_temperature(tau)};
  if (mode == "relaxed") o.mode = DiscreteMode::relaxed;
  else if (mode == "straight-through") o.mode = DiscreteMode::straight_through;
  else if (mode == "smoothed") o.mode = DiscreteMode::smoothed;
  else if (mode == "score") o.mode = DiscreteMode::score;
  else if (mode != "exact") throw_range_error("unknown mode '" + mode + "'");
  return o;
}

// bernoulli(p, u, mode, tau) -> [sample, dsample/dp, log p(sample), dlogp/dp]
Napi::Value bernoulli_draw(const Napi::CallbackInfo& info) {
  using D = Dual<double, 1>;
  const D p = D::variable(finite_number(info[0], "p"), 0);
  const double u = finite_number(info[1], "u");
  D log_prob(0.0);
  const D s = bernoulli(p, u, options_from(info[2], finite_number(info[3], "tau"), 5.0), log_prob);
  Napi::Array out = Napi::Array::New(info.Env(), 4);
  out.Set(0u, s.v);
  out.Set(1u, s.d[0]);
  out.Set(2u, log_prob.v);
  out.Set(3u, log_prob.d[0]);
  return out;
}

// threshold(x, a, mode, sharpness) -> [1[x > a] under the mode, d/dx]
Napi::Value threshold(const Napi::CallbackInfo& info) {
  using D = Dual<double, 1>;
  const D x = D::variable(finite_number(info[0], "x"), 0);
  const D a(finite_number(info[1], "a"));
  const D s = above(x, a, options_from(info[2], 0.1, finite_number(info[3], "sharpness")));
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, s.v);
  out.Set(1u, s.d[0]);
  return out;
}

template <class T>
Napi::Array dead_zone_sign_in(Napi::Env env, double x, double w, const DiscreteOptions& options) {
  using D = Dual<T, 2>;
  const D r = DeadZoneSign<D>(D::variable(static_cast<T>(x), 0), options)(D::variable(static_cast<T>(w), 1));
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, static_cast<double>(r.v));
  out.Set(1u, static_cast<double>(r.d[0]));
  out.Set(2u, static_cast<double>(r.d[1]));
  return out;
}

// deadZoneSign(x, w, mode, sharpness, dtype) -> [1[x > w] - 1[x < -w] under the mode, d/dx, d/dw],
// computed in the dtype's precision
Napi::Value dead_zone_sign_binding(const Napi::CallbackInfo& info) {
  const double x = finite_number(info[0], "x");
  const double w = finite_number(info[1], "w");
  const DiscreteOptions options = options_from(info[2], 0.1, finite_number(info[3], "sharpness"));
  const std::string dtype = string_value(info[4], "dtype");
  if (dtype == "float64") return dead_zone_sign_in<double>(info.Env(), x, w, options);
  if (dtype == "float32") return dead_zone_sign_in<float>(info.Env(), x, w, options);
  throw_range_error("dtype must be 'float32' or 'float64', got '" + dtype + "'");
}

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const ArgumentError& error) {
    throw to_js_error(info.Env(), error);
  }
}

}  // namespace

Napi::Object internals(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("philox", Napi::Function::New(env, guarded<philox>, "philox"));
  o.Set("variates", Napi::Function::New(env, guarded<variates>, "variates"));
  o.Set("dual", Napi::Function::New(env, guarded<dual>, "dual"));
  o.Set("bernoulli", Napi::Function::New(env, guarded<bernoulli_draw>, "bernoulli"));
  o.Set("threshold", Napi::Function::New(env, guarded<threshold>, "threshold"));
  o.Set("uniformSums", Napi::Function::New(env, guarded<uniform_sums>, "uniformSums"));
  o.Set("deadZoneSign", Napi::Function::New(env, guarded<dead_zone_sign_binding>, "deadZoneSign"));
  return o;
}

}  // namespace ag::addon
