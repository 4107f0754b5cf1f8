#include "catalog_binding.hpp"

#include <string>

#include "../cpu/cpu_backend.hpp"
#include "../models/registry.hpp"
#include "../models/scalar_dispatch.hpp"
#include "backends.hpp"

namespace ag::addon {
namespace {

template <class Model>
Napi::Object describe_model(Napi::Env env) {
  Napi::Object model = Napi::Object::New(env);
  model.Set("name", Model::kName);
  Napi::Array parameters = Napi::Array::New(env);
  for (int j = 0; j < parameter_count<Model>(); ++j) {
    Napi::Object p = Napi::Object::New(env);
    p.Set("name", Model::kParameters[j].name);
    p.Set("constraint", constraint_name(Model::kParameters[j].constraint));
    p.Set("reference", Model::kParameters[j].reference);
    parameters.Set(j, p);
  }
  model.Set("parameters", parameters);
  Napi::Array settings = Napi::Array::New(env);
  for (int s = 0; s < setting_count<Model>(); ++s) {
    const SettingSpec& spec = Model::kSettings[s];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", spec.name);
    o.Set("default", spec.fallback);
    o.Set("min", spec.min);
    o.Set("max", spec.max);
    o.Set("integer", spec.integer);
    settings.Set(s, o);
  }
  model.Set("settings", settings);
  Napi::Array outputs = Napi::Array::New(env);
  for (int o = 0; o < output_count<Model>(); ++o) outputs.Set(o, Model::kOutputs[o]);
  model.Set("outputs", outputs);
  model.Set("usesGraph", uses_graph<Model>());
  return model;
}

}  // namespace

Napi::Value models(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  uint32_t index = 0;
  for_each_model([&](auto tag) { list.Set(index++, describe_model<typename decltype(tag)::type>(env)); });
  return list;
}

Napi::Value backend_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaStatus cuda = cuda_status();
  Napi::Object result = Napi::Object::New(env);
  Napi::Array compiled = Napi::Array::New(env);
  compiled.Set(0u, "cpu");
  if (cuda.compiled) compiled.Set(1u, "cuda");
  result.Set("backends", compiled);
  result.Set("defaultBackend", cuda.available ? "cuda" : "cpu");

  Napi::Object cpu = Napi::Object::New(env);
  cpu.Set("threads", cpu::default_threads());
  cpu.Set("instructionSet", cpu::instruction_set());
  Napi::Array sets = Napi::Array::New(env);
  for (const char* set : cpu::built_instruction_sets()) sets.Set(sets.Length(), set);
  cpu.Set("instructionSets", sets);
  cpu.Set("portable", cpu::portable());
  result.Set("cpu", cpu);

  Napi::Object gpu = Napi::Object::New(env);
  gpu.Set("compiled", cuda.compiled);
  gpu.Set("available", cuda.available);
  gpu.Set("deviceCount", cuda.device_count);
  gpu.Set("device", cuda.available ? Napi::Value(Napi::String::New(env, cuda.device_name)) : env.Null());
  gpu.Set("computeCapability", cuda.available ? Napi::Value(Napi::String::New(env, std::to_string(cuda.compute_major) + "." +
                                                                                      std::to_string(cuda.compute_minor)))
                                               : env.Null());
  gpu.Set("totalMemory", static_cast<double>(cuda.total_bytes));
  gpu.Set("freeMemory", static_cast<double>(cuda.free_bytes));
  gpu.Set("runtimeVersion", cuda.runtime_version);
  gpu.Set("reason", cuda.available ? env.Null() : Napi::Value(Napi::String::New(env, cuda.reason)));
  result.Set("cuda", gpu);

  Napi::Array buckets = Napi::Array::New(env);
  uint32_t b = 0;
  for (int k = 1; k <= kMaxTangents; k *= 2) buckets.Set(b++, k);
  result.Set("tangentBuckets", buckets);
  return result;
}

}  // namespace ag::addon
