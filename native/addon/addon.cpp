// Module entry: the functions lib/native.ts types in NativeAddon.
#include <napi.h>

#include "catalog_binding.hpp"
#include "internals_binding.hpp"
#include "simulate_binding.hpp"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("simulate", Napi::Function::New(env, ag::addon::simulate, "simulate"));
  exports.Set("models", Napi::Function::New(env, ag::addon::models, "models"));
  exports.Set("backendInfo", Napi::Function::New(env, ag::addon::backend_info, "backendInfo"));
  exports.Set("internals", ag::addon::internals(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(agentgrad, init)
