// Maps a request's dtype and tangent count to the scalar type a kernel is instantiated with:
// float/double without tangents, else Dual<float|double, K> with K the smallest bucket
// (1, 2, 4, 8, 16) that holds them.
#pragma once

#include "../core/dual.hpp"
#include "simulation.hpp"

namespace ag {

constexpr int kMaxTangents = 16;

template <class S>
struct ScalarTag {
  using type = S;
};

inline int tangent_bucket(int tangents) {
  if (tangents <= 0) return 0;
  int bucket = 1;
  while (bucket < tangents) bucket *= 2;
  return bucket;
}

template <class T, class F>
void visit_scalar_of(int tangents, F&& f) {
  switch (tangent_bucket(tangents)) {
    case 0: f(ScalarTag<T>{}); break;
    case 1: f(ScalarTag<Dual<T, 1>>{}); break;
    case 2: f(ScalarTag<Dual<T, 2>>{}); break;
    case 4: f(ScalarTag<Dual<T, 4>>{}); break;
    case 8: f(ScalarTag<Dual<T, 8>>{}); break;
    default: f(ScalarTag<Dual<T, 16>>{}); break;
  }
}

// As visit_scalar_of for a backend whose runs carry at most MaxLanes tangents (a power of two);
// only those scalar types are instantiated. `tangents` must be <= MaxLanes.
template <class T, int MaxLanes, class F>
void visit_scalar_up_to(int tangents, F&& f) {
  const int bucket = tangent_bucket(tangents);
  if (bucket == 0) return f(ScalarTag<T>{});
  if (bucket == 1) return f(ScalarTag<Dual<T, 1>>{});
  if constexpr (MaxLanes >= 2) if (bucket == 2) return f(ScalarTag<Dual<T, 2>>{});
  if constexpr (MaxLanes >= 4) if (bucket == 4) return f(ScalarTag<Dual<T, 4>>{});
  if constexpr (MaxLanes >= 8) if (bucket == 8) return f(ScalarTag<Dual<T, 8>>{});
  if constexpr (MaxLanes >= 16) if (bucket == 16) return f(ScalarTag<Dual<T, 16>>{});
}

template <class F>
void visit_scalar(Dtype dtype, int tangents, F&& f) {
  if (dtype == Dtype::float64) {
    visit_scalar_of<double>(tangents, f);
  } else {
    visit_scalar_of<float>(tangents, f);
  }
}

}  // namespace ag
