// Branch-free single-precision exp, log and log1p (Cephes polynomials, within 1-2 ulp). They are
// plain arithmetic and selects, so agent loops that call them vectorise on the CPU; the GPU runs
// the same code, so both backends compute the same values.
#pragma once

#include <cstdint>

#include "bit_cast.hpp"
#include "config.hpp"

namespace ag::float_math {

constexpr float kInfinity = __builtin_huge_valf();
constexpr float kLn2High = 0.693359375f;  // ln 2 = kLn2High + kLn2Low, kLn2High exact in 9 bits
constexpr float kLn2Low = -2.12194440e-4f;

// 2^k for k in [-126, 127].
AG_HD AG_INLINE float power_of_two(int32_t k) { return from_bits<float>(static_cast<uint32_t>(k + 127) << 23); }

AG_HD AG_INLINE float exp(float x) {
  // Beyond these bounds exp(x) is inf or 0 anyway; comparisons written so that NaN passes through.
  x = x > 89.0f ? 89.0f : x;
  x = x < -104.0f ? -104.0f : x;
  // n = round(x / ln 2), read off the low mantissa bits of x / ln 2 + 1.5 * 2^23.
  constexpr float kRoundingBias = 12582912.0f;
  const float biased = x * 1.44269504088896341f + kRoundingBias;
  const float n = biased - kRoundingBias;
  const int32_t whole = static_cast<int32_t>(bits_of(biased) - bits_of(kRoundingBias));
  const float r = (x - n * kLn2High) - n * kLn2Low;
  // The Cephes polynomial in Estrin's scheme: independent pairs, so the dependency chain is half
  // as long as Horner's and vector loops overlap more of it.
  const float r2 = r * r;
  const float r4 = r2 * r2;
  const float low = 5.0000001201e-1f + 1.6666665459e-1f * r;
  const float middle = 4.1665795894e-2f + 8.3334519073e-3f * r;
  const float high = 1.3981999507e-3f + 1.9875691500e-4f * r;
  const float p = (low + middle * r2) + high * r4;
  const float exp_r = p * r2 + r + 1.0f;
  // 2^n in two factors, so that subnormal results and overflow to inf come out right. The first
  // product is exact for every n here, so how n is split does not matter: half = floor(n / 2),
  // one arithmetic shift.
  const int32_t half = whole >> 1;
  return exp_r * power_of_two(half) * power_of_two(whole - half);
}

AG_HD AG_INLINE float log(float x) {
  constexpr float kSmallestNormal = 1.17549435e-38f;
  const bool subnormal = x < kSmallestNormal;
  const float lifted = x * 8388608.0f;  // 2^23 lifts subnormals into the normal range
  const uint32_t bits = bits_of(subnormal ? lifted : x);
  int32_t exponent = static_cast<int32_t>(bits >> 23) - (subnormal ? 126 + 23 : 126);
  const float mantissa = from_bits<float>((bits & 0x007FFFFFu) | 0x3F000000u);  // in [0.5, 1)
  const bool below_sqrt_half = mantissa < 0.707106781186547524f;
  exponent -= below_sqrt_half ? 1 : 0;
  const float doubled = mantissa + mantissa;
  const float f = (below_sqrt_half ? doubled : mantissa) - 1.0f;
  // The Cephes polynomial in Estrin's scheme (see exp).
  const float f2 = f * f;
  const float f4 = f2 * f2;
  const float f8 = f4 * f4;
  const float q0 = 3.3333331174e-1f - 2.4999993993e-1f * f;
  const float q1 = 2.0000714765e-1f - 1.6668057665e-1f * f;
  const float q2 = 1.4249322787e-1f - 1.2420140846e-1f * f;
  const float q3 = 1.1676998740e-1f - 1.1514610310e-1f * f;
  const float p = ((q0 + q1 * f2) + (q2 + q3 * f2) * f4) + 7.0376836292e-2f * f8;
  const float e = static_cast<float>(exponent);
  float y = p * f * f2;
  y += e * kLn2Low;
  y += -0.5f * f2;
  float result = (f + y) + e * kLn2High;
  result = x == 0.0f ? -kInfinity : result;
  result = x == kInfinity ? kInfinity : result;
  result = x < 0.0f ? kInfinity - kInfinity : result;  // NaN
  return x != x ? x : result;
}

// log(1 + x) = log(u) + (x - (u - 1)) / u to first order, with u = 1 + x rounded: the second term
// restores what rounding u lost. At u = 0 the term is 0 (the denominator is kept off zero).
AG_HD AG_INLINE float log1p(float x) {
  constexpr float kSmallestNormal = 1.17549435e-38f;
  const float u = 1.0f + x;
  const float denominator = u > kSmallestNormal ? u : kSmallestNormal;
  const float result = log(u) - ((u - 1.0f) - x) / denominator;
  return x == kInfinity ? x : result;
}

// cos(2 pi u) for u in (0, 1), within 1.3 ulp of cos's magnitude: u is folded into [0, 1/8] by
// exact subtractions (cos is even about 0 and 1/2 and odd about 1/4), then the Cephes cosine or
// sine polynomial on [0, pi/4]. libm's cosf(2 pi u) errs by up to 3.8e-7, most of it from rounding
// the argument 2 pi u, and, being a call, keeps agent loops that draw normals from vectorising.
AG_HD AG_INLINE float cos_two_pi(float u) {
  const float folded = u > 0.5f ? 1.0f - u : u;  // in (0, 1/2]
  const bool past_quarter = folded > 0.25f;
  const float quarter = past_quarter ? 0.5f - folded : folded;  // in [0, 1/4]; cos changes sign
  const bool past_eighth = quarter > 0.125f;
  const float eighth = past_eighth ? 0.25f - quarter : quarter;  // in [0, 1/8]; cos becomes sin
  const float t = eighth * 6.28318530717958647692f;
  const float t2 = t * t;
  const float cosine = 1.0f - 0.5f * t2 +
                       t2 * t2 * ((4.166664568298827e-2f - 1.388731625493765e-3f * t2) + 2.443315711809948e-5f * t2 * t2);
  const float sine = t + t * t2 * ((-1.6666654611e-1f + 8.3321608736e-3f * t2) - 1.9515295891e-4f * t2 * t2);
  const float magnitude = past_eighth ? sine : cosine;
  return past_quarter ? -magnitude : magnitude;
}

}  // namespace ag::float_math
