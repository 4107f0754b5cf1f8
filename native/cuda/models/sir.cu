#include "../../models/sir.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(Sir)
