#include "../../models/random_walk.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(RandomWalk)
