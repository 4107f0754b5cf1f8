// A request's replicates split into contiguous pieces that run apart (the CUDA backend runs one per
// device) and together give bitwise the numbers of the whole: replicate r of a piece starting at
// `first` draws the random numbers of stream request.first_replicate + first + r, reads row
// first + r of the parameter table, and writes row first + r of the output buffers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "simulation.hpp"

namespace ag {

struct ReplicateRange {
  int32_t first;
  int32_t count;
};

// `pieces` contiguous ranges covering [0, replicates), in order, whose sizes differ by at most one
// (the larger first); fewer when there are fewer replicates than pieces, none empty.
inline std::vector<ReplicateRange> split_replicates(int32_t replicates, int pieces) {
  std::vector<ReplicateRange> ranges;
  if (replicates <= 0 || pieces <= 0) return ranges;
  const int32_t count = std::min<int32_t>(replicates, pieces);
  const int32_t base = replicates / count;
  const int32_t larger = replicates % count;  // this many pieces take one replicate more
  int32_t first = 0;
  for (int32_t i = 0; i < count; ++i) {
    const int32_t size = base + (i < larger ? 1 : 0);
    ranges.push_back(ReplicateRange{first, size});
    first += size;
  }
  return ranges;
}

// The request of one piece: its replicates, their random streams and parameter rows; the launch
// plan of the whole request; no device selection of its own.
inline SimulationRequest request_of_piece(const SimulationRequest& request, const ReplicateRange& range) {
  SimulationRequest piece = request;
  piece.replicates = range.count;
  piece.first_replicate = request.first_replicate + static_cast<uint32_t>(range.first);
  piece.plan_replicates = request.plan_replicates > 0 ? request.plan_replicates : request.replicates;
  piece.devices.clear();
  piece.all_devices = false;
  if (!request.theta_table.empty()) {
    const std::size_t row = request.theta.size();
    const auto begin = request.theta_table.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(range.first));
    piece.theta_table.assign(begin, begin + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(range.count)));
  }
  return piece;
}

// The piece's rows of the request's output buffers (absent buffers stay absent).
inline SimulationBuffers buffers_of_piece(const SimulationBuffers& buffers, const OutputLayout& layout,
                                          std::size_t element_bytes, const ReplicateRange& range) {
  const std::size_t first = static_cast<std::size_t>(range.first);
  const auto offset = [&](void* base, std::size_t per_replicate) -> void* {
    return base == nullptr ? nullptr : static_cast<unsigned char*>(base) + first * per_replicate * element_bytes;
  };
  return SimulationBuffers{offset(buffers.values, layout.values_per_replicate()),
                           offset(buffers.tangents, layout.tangents_per_replicate()),
                           offset(buffers.log_prob, layout.log_prob_per_replicate())};
}

inline std::size_t element_bytes(Dtype dtype) { return dtype == Dtype::float64 ? sizeof(double) : sizeof(float); }

}  // namespace ag
