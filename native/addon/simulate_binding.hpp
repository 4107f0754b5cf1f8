// simulate(request) -> Promise<result>: validates synchronously, then runs on the libuv pool.
#pragma once

#include <napi.h>

namespace ag::addon {

Napi::Value simulate(const Napi::CallbackInfo& info);

}  // namespace ag::addon
