#include "../../models/gaussian_location.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(GaussianLocation)
