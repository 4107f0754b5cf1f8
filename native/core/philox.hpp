// Philox4x32 counter-based generator (Salmon et al., SC'11), as in Random123. A draw is a pure
// function of (key, counter), so results never depend on thread scheduling.
#pragma once

#include <cstdint>

#include "config.hpp"

namespace ag {

struct Philox4x32Counter {
  uint32_t v[4];
};
struct Philox4x32Key {
  uint32_t v[2];
};

namespace philox_detail {
constexpr uint32_t kMultiplier0 = 0xD2511F53u;
constexpr uint32_t kMultiplier1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u;
constexpr uint32_t kWeyl1 = 0xBB67AE85u;

AG_HD AG_INLINE void multiply_high_low(uint32_t a, uint32_t b, uint32_t& high, uint32_t& low) {
  const uint64_t product = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  high = static_cast<uint32_t>(product >> 32);
  low = static_cast<uint32_t>(product);
}

AG_HD AG_INLINE void round(Philox4x32Counter& c, const Philox4x32Key& k) {
  uint32_t hi0, lo0, hi1, lo1;
  multiply_high_low(kMultiplier0, c.v[0], hi0, lo0);
  multiply_high_low(kMultiplier1, c.v[2], hi1, lo1);
  c = Philox4x32Counter{{hi1 ^ c.v[1] ^ k.v[0], lo1, hi0 ^ c.v[3] ^ k.v[1], lo0}};
}
}  // namespace philox_detail

template <int Rounds = 10>
AG_HD AG_INLINE Philox4x32Counter philox4x32(Philox4x32Counter counter, Philox4x32Key key) {
  for (int r = 0; r < Rounds; ++r) {
    if (r > 0) {
      key.v[0] += philox_detail::kWeyl0;
      key.v[1] += philox_detail::kWeyl1;
    }
    philox_detail::round(counter, key);
  }
  return counter;
}

}  // namespace ag
