#include "simulate_binding.hpp"

#include <cmath>
#include <memory>
#include <string>

#include "../models/cancelled.hpp"
#include "../models/registry.hpp"
#include "argument_error.hpp"
#include "backends.hpp"
#include "js_values.hpp"
#include "request_parser.hpp"

namespace ag::addon {
namespace {

Napi::TypedArray new_real_array(Napi::Env env, Dtype dtype, std::size_t length) {
  if (dtype == Dtype::float64) return Napi::Float64Array::New(env, length);
  return Napi::Float32Array::New(env, length);
}

void* data_of(const Napi::TypedArray& array) {
  return static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
}

template <class T>
std::size_t count_non_finite(const void* data, std::size_t count) {
  const T* x = static_cast<const T*>(data);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < count; ++i) bad += std::isfinite(x[i]) ? 0 : 1;
  return bad;
}

// Non-finite numbers among a request's outputs (overflow with extreme parameters, mostly in float32).
std::size_t count_non_finite(const SimulationBuffers& buffers, const OutputCounts& counts, Dtype dtype) {
  const auto count = [&](const void* data, std::size_t n) {
    if (data == nullptr || n == 0) return std::size_t{0};
    return dtype == Dtype::float64 ? count_non_finite<double>(data, n) : count_non_finite<float>(data, n);
  };
  return count(buffers.values, counts.values) + count(buffers.tangents, counts.tangents) + count(buffers.log_prob, counts.log_prob);
}

const int32_t* cancel_flag(const Napi::Value& value) {
  if (value.IsUndefined()) return nullptr;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      value.As<Napi::TypedArray>().ElementLength() < 1) {
    throw_type_error("cancel must be an Int32Array of length >= 1");
  }
  return static_cast<const int32_t*>(data_of(value.As<Napi::TypedArray>()));
}

// One simulation: its request, the typed arrays it writes, and how it settles the caller's promise.
// run() may execute on any thread and touches no JavaScript; settle() runs on the JavaScript thread.
class SimulationJob {
 public:
  SimulationJob(Napi::Env env, SimulationRequest request, Backend backend, Napi::Object request_object,
                const int32_t* cancel, const OutputCounts& counts)
      : deferred_(Napi::Promise::Deferred::New(env)),
        request_(std::move(request)),
        backend_(backend),
        cancel_(cancel),
        counts_(counts) {
    request_object_ = Napi::Persistent(request_object);  // keeps the cancel flag alive
    values_ = Napi::Persistent(new_real_array(env, request_.dtype, counts.values));
    buffers_.values = data_of(values_.Value());
    if (counts.tangents > 0) {
      tangents_ = Napi::Persistent(new_real_array(env, request_.dtype, counts.tangents));
      buffers_.tangents = data_of(tangents_.Value());
    }
    if (counts.log_prob > 0) {
      log_prob_ = Napi::Persistent(new_real_array(env, request_.dtype, counts.log_prob));
      buffers_.log_prob = data_of(log_prob_.Value());
    }
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void run() {
    try {
      run_backend(backend_, request_, buffers_, cancel_);
      non_finite_ = count_non_finite(buffers_, counts_, request_.dtype);
    } catch (const Cancelled& e) {
      aborted_ = true;
      error_ = e.what();
    } catch (const std::bad_alloc&) {
      error_ = "out of host memory while simulating; lower replicates, agents, steps or tangents";
    } catch (const std::exception& e) {
      error_ = e.what();
      if (error_.empty()) error_ = "simulation failed";
    }
  }

  void settle(Napi::Env env) {
    if (aborted_) {
      Napi::Error abort = Napi::Error::New(env, "The operation was aborted");
      abort.Set("name", Napi::String::New(env, "AbortError"));
      abort.Set("code", Napi::String::New(env, "ABORT_ERR"));
      deferred_.Reject(abort.Value());
      return;
    }
    if (!error_.empty()) {
      deferred_.Reject(Napi::Error::New(env, error_).Value());
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("values", values_.Value());
    result.Set("tangents", tangents_.IsEmpty() ? env.Null() : tangents_.Value());
    result.Set("logProb", log_prob_.IsEmpty() ? env.Null() : log_prob_.Value());
    result.Set("backend", backend_name(backend_));
    result.Set("nonFinite", static_cast<double>(non_finite_));
    deferred_.Resolve(result);
  }

 private:
  Napi::Promise::Deferred deferred_;
  SimulationRequest request_;
  Backend backend_;
  const int32_t* cancel_;
  OutputCounts counts_;
  std::size_t non_finite_ = 0;
  bool aborted_ = false;
  std::string error_;
  Napi::ObjectReference request_object_;
  Napi::Reference<Napi::TypedArray> values_;
  Napi::Reference<Napi::TypedArray> tangents_;
  Napi::Reference<Napi::TypedArray> log_prob_;
  SimulationBuffers buffers_;
};

// Runs a job on the libuv thread pool; errors travel inside the job, so OnError is never reached.
class SimulateWorker : public Napi::AsyncWorker {
 public:
  SimulateWorker(Napi::Env env, std::unique_ptr<SimulationJob> job)
      : Napi::AsyncWorker(env, "agentgrad.simulate"), job_(std::move(job)) {}

 protected:
  void Execute() override { job_->run(); }
  void OnOK() override { job_->settle(Env()); }

 private:
  std::unique_ptr<SimulationJob> job_;
};

// A CPU request this small takes less time than the round trip through the libuv thread pool and
// back to the event loop (about 0.15 ms here), so it runs on the calling thread, for well under a
// millisecond. Work counts agent-steps times value-and-tangent lanes, doubled for float64.
constexpr double kInlineWork = 262144;

bool runs_inline(Backend backend, const SimulationRequest& request) {
  if (backend != Backend::cpu) return false;
  const double agent_steps =
      static_cast<double>(request.replicates) * request.settings[kAgentsSetting] * request.settings[kStepsSetting];
  const double lanes = 1.0 + static_cast<double>(request.tangent_params.size());
  return agent_steps * lanes * (request.dtype == Dtype::float64 ? 2.0 : 1.0) <= kInlineWork;
}

}  // namespace

Napi::Value simulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    const Napi::Object request = object_value(info[0], "request");
    ParsedRequest parsed = parse_request(request);
    const int32_t* cancel = cancel_flag(request.Get("cancel"));
    const Backend backend = choose_backend(parsed.backend_requested, parsed.simulation.program != nullptr);
    check_devices(parsed, backend);
    check_memory(parsed, backend);
    const OutputCounts counts = output_counts(parsed.simulation);
    const bool here = runs_inline(backend, parsed.simulation);
    auto job = std::make_unique<SimulationJob>(env, std::move(parsed.simulation), backend, request, cancel, counts);
    const Napi::Promise promise = job->promise();
    if (here) {
      job->run();
      job->settle(env);
    } else {
      (new SimulateWorker(env, std::move(job)))->Queue();
    }
    return promise;
  } catch (const ArgumentError& error) {
    throw to_js_error(env, error);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& error) {
    throw Napi::Error::New(env, error.what());
  }
}

}  // namespace ag::addon
