// A real's bit pattern and back, on host and device alike.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "config.hpp"

namespace ag {

template <class T>
using BitsOf = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;

AG_HD AG_INLINE uint32_t bits_of(float x) {
#if AG_DEVICE_CODE
  return __float_as_uint(x);
#else
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}

AG_HD AG_INLINE uint64_t bits_of(double x) {
#if AG_DEVICE_CODE
  return static_cast<uint64_t>(__double_as_longlong(x));
#else
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}

template <class T>
AG_HD AG_INLINE T from_bits(BitsOf<T> bits);

template <>
AG_HD AG_INLINE float from_bits<float>(uint32_t bits) {
#if AG_DEVICE_CODE
  return __uint_as_float(bits);
#else
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
#endif
}

template <>
AG_HD AG_INLINE double from_bits<double>(uint64_t bits) {
#if AG_DEVICE_CODE
  return __longlong_as_double(static_cast<long long>(bits));
#else
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
#endif
}

}  // namespace ag
