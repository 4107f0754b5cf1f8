#include "../../models/brock_hommes.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(BrockHommes)
