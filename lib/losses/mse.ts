import { checkOutputs, firstComparedTime, toObserved, type Observed, type ObservedInput } from '../observed.js';
import type { Loss, LossEvaluation, SeriesShape } from './loss.js';
import { withRecipe } from './recipe.js';

function meanSquaredError(name: string, observed: Observed) {
  return (simulated: Float64Array, shape: SeriesShape): LossEvaluation => {
    checkOutputs(observed, shape.outputs, name);
    const first = firstComparedTime(observed, shape.times, name);
    const count = observed.rows * observed.outputs;
    const gradient = new Float64Array(simulated.length);
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const j = first * shape.outputs + i;
      const residual = simulated[j]! - observed.data[i]!;
      sum += residual * residual;
      gradient[j] = (2 * residual) / count;
    }
    return { value: sum / count, gradient };
  };
}

/** Mean squared error over every compared time point and output. */
export function mse(observedInput: ObservedInput): Loss {
  const observed = toObserved(observedInput);
  return withRecipe({ name: 'mse', observations: observed.rows * observed.outputs, evaluate: meanSquaredError('mse', observed) }, 'mse', observedInput);
}

/** log(MSE): scale-free, so its gradient is that of the MSE divided by the MSE. */
export function logMse(observedInput: ObservedInput): Loss {
  const observed = toObserved(observedInput);
  const inner = meanSquaredError('logMse', observed);
  return withRecipe({
    name: 'logMse',
    observations: observed.rows * observed.outputs,
    evaluate(simulated, shape) {
      const { value, gradient } = inner(simulated, shape);
      for (let i = 0; i < gradient.length; i++) gradient[i] = gradient[i]! / value;
      return { value: Math.log(value), gradient };
    },
  }, 'logMse', observedInput);
}
