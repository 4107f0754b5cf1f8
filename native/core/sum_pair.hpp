// Two values summed over agents at once (Team::sum_pair in core/team.hpp): an agent loop that
// yields two totals takes one pass over the agents instead of two. The second may be the plain
// real of a Dual first, for a total that needs no tangents of its own (DeadZoneSign::sum_over).
#pragma once

namespace ag {

template <class A, class B = A>
struct SumPair {
  A first;
  B second;
};

}  // namespace ag
