#include "../../models/gaussian_shift.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(GaussianShift)
