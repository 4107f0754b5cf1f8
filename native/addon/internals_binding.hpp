// Core building blocks exposed for the test suite: Philox words, variates, dual-number rules,
// Bernoulli draws and thresholds, and the CPU generator's uniform sums for the benchmark. Not part
// of the public API.
#pragma once

#include <napi.h>

namespace ag::addon {

Napi::Object internals(Napi::Env env);

}  // namespace ag::addon
