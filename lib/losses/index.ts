export type { Loss, LossEvaluation, SeriesShape } from './loss.js';
export { mse, logMse } from './mse.js';
export { mmd, type MmdOptions } from './mmd.js';
export { energyDistance } from './energyDistance.js';
