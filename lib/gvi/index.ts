export { fit, type FitOptions, type FitResult, type LossName } from './fit.js';
export { Posterior, type PosteriorJson } from './posterior.js';
export { posteriorPredictive, type PosteriorPredictive, type PredictiveOptions } from './predictive.js';
export {
  builtInStatistics,
  posteriorPredictiveCheck,
  predictiveCheckFlagLevel,
  type NamedStatistic,
  type PredictiveCheckOptions,
  type PredictiveCheckRow,
  type PredictiveQuantiles,
  type SeriesStatistic,
} from './predictiveCheck.js';
export type { EpochRecord } from './checkpoint.js';
export type { FamilyName } from './family.js';
export type { FlowOptions } from './flow/options.js';
export type { LossWeight } from './weight.js';
export type { LrSchedule, OptimizerName } from './optimizer.js';
export * as priors from './priors.js';
export type { Prior } from './priors.js';
