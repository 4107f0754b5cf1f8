#include "../../models/bass_diffusion.hpp"
#include "../model_kernels.hpp"

AG_CPU_MODEL_KERNELS(BassDiffusion)
