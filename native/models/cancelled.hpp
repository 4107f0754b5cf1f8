// Thrown by a backend that stopped because the caller's AbortSignal fired.
#pragma once

#include <stdexcept>

namespace ag {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("the simulation was aborted") {}
};

}  // namespace ag
