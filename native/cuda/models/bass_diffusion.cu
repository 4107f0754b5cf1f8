#include "../../models/bass_diffusion.hpp"
#include "../model_simulation.cuh"

AG_CUDA_MODEL(BassDiffusion)
