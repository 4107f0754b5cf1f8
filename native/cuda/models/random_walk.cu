#include "../../models/random_walk.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(RandomWalk)
