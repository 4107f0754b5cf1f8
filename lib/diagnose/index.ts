export { diagnose, type CoveragePoint, type DiagnoseOptions, type DiagnoseProgress, type DiagnoseResult, type SbcSummary } from './diagnose.js';
export type { FailedFit, FitOutcome } from './oneFit.js';
export type { DiagnoseFitOptions } from './recipe.js';
