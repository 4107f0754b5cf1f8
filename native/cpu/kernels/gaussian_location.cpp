#include "../../models/gaussian_location.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(GaussianLocation)
