#include "simulate_binding.hpp"

#include <cmath>
#include <memory>
#include <string>

#include "../models/cancelled.hpp"
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

class SimulateWorker : public Napi::AsyncWorker {
 public:
  SimulateWorker(Napi::Env env, SimulationRequest request, Backend backend, Napi::Object request_object,
                 const int32_t* cancel, const OutputCounts& counts)
      : Napi::AsyncWorker(env, "agentgrad.simulate"),
        deferred_(Napi::Promise::Deferred::New(env)),
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

 protected:
  void Execute() override {
    try {
      run_backend(backend_, request_, buffers_, cancel_);
      non_finite_ = count_non_finite(buffers_, counts_, request_.dtype);
    } catch (const Cancelled& e) {
      aborted_ = true;
      SetError(e.what());
    } catch (const std::bad_alloc&) {
      SetError("out of host memory while simulating; lower replicates, agents, steps or tangents");
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object result = Napi::Object::New(env);
    result.Set("values", values_.Value());
    result.Set("tangents", tangents_.IsEmpty() ? env.Null() : tangents_.Value());
    result.Set("logProb", log_prob_.IsEmpty() ? env.Null() : log_prob_.Value());
    result.Set("backend", backend_name(backend_));
    result.Set("nonFinite", static_cast<double>(non_finite_));
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& error) override {
    if (aborted_) {
      Napi::Error abort = Napi::Error::New(Env(), "The operation was aborted");
      abort.Set("name", Napi::String::New(Env(), "AbortError"));
      abort.Set("code", Napi::String::New(Env(), "ABORT_ERR"));
      deferred_.Reject(abort.Value());
      return;
    }
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  SimulationRequest request_;
  Backend backend_;
  const int32_t* cancel_;
  OutputCounts counts_;
  std::size_t non_finite_ = 0;
  bool aborted_ = false;
  Napi::ObjectReference request_object_;
  Napi::Reference<Napi::TypedArray> values_;
  Napi::Reference<Napi::TypedArray> tangents_;
  Napi::Reference<Napi::TypedArray> log_prob_;
  SimulationBuffers buffers_;
};

}  // namespace

Napi::Value simulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    const Napi::Object request = object_value(info[0], "request");
    ParsedRequest parsed = parse_request(request);
    const int32_t* cancel = cancel_flag(request.Get("cancel"));
    const Backend backend = choose_backend(parsed.backend_requested);
    check_memory(parsed, backend);
    const OutputCounts counts = output_counts(parsed.simulation);
    auto* worker = new SimulateWorker(env, std::move(parsed.simulation), backend, request, cancel, counts);
    const Napi::Promise promise = worker->promise();
    worker->Queue();
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
