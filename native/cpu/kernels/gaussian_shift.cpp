#include "../../models/gaussian_shift.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(GaussianShift)
