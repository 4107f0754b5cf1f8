#include "../../models/bernoulli_sum.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(BernoulliSum)
