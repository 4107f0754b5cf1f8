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

template <class F>
void visit_scalar(Dtype dtype, int tangents, F&& f) {
  if (dtype == Dtype::float64) {
    visit_scalar_of<double>(tangents, f);
  } else {
    visit_scalar_of<float>(tangents, f);
  }
}

}  // namespace ag
