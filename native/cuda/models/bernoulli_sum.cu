#include "../../models/bernoulli_sum.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(BernoulliSum)
