// A contact graph in compressed sparse row form, as a model sees it: the neighbours of agent i are
// neighbours[offsets[i]] .. neighbours[offsets[i + 1] - 1]. The backend owns the arrays (host
// memory on the CPU, device memory on CUDA); models without a graph see null pointers.
#pragma once

#include <cstdint>

#include "config.hpp"

namespace ag {

struct GraphView {
  const int32_t* offsets = nullptr;
  const int32_t* neighbours = nullptr;

  AG_HD AG_INLINE int32_t first_edge(int agent) const { return offsets[agent]; }
  AG_HD AG_INLINE int32_t end_edge(int agent) const { return offsets[agent + 1]; }
  AG_HD AG_INLINE int32_t neighbour(int32_t edge) const { return neighbours[edge]; }
};

}  // namespace ag
