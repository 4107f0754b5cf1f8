// Two values summed over agents at once (Team::sum_pair in core/team.hpp): an agent loop that
// yields two totals takes one pass over the agents instead of two.
#pragma once

namespace ag {

template <class S>
struct SumPair {
  S first;
  S second;
};

}  // namespace ag
