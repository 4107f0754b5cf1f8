// models() and backendInfo(): what the addon can run.
#pragma once

#include <napi.h>

namespace ag::addon {

Napi::Value models(const Napi::CallbackInfo& info);
Napi::Value backend_info(const Napi::CallbackInfo& info);

}  // namespace ag::addon
