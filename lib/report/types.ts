/** Input of the HTML report written by `agentgrad fit`. */

export interface ReportParameter {
  name: string;
  /** Known true value (synthetic data), drawn as a vertical rule. */
  truth?: number;
  /** Samples from the prior, natural units. */
  prior: number[];
  /** Samples from the posterior, natural units. */
  posterior: number[];
}

export interface ReportSeries {
  /** Output name, e.g. 'r'. */
  output: string;
  /** t for each point. */
  times: number[];
  observed: number[];
  /** Posterior predictive 5% quantile per time. */
  lower: number[];
  /** Posterior predictive median per time. */
  median: number[];
  /** Posterior predictive 95% quantile per time. */
  upper: number[];
}

export interface ReportHistoryPoint {
  epoch: number;
  loss: number;
  expectedLoss: number;
  /** The KL term as it enters the total loss, w · KL. */
  kl: number;
}

export interface ReportPosteriorRow {
  name: string;
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
  truth?: number;
}

/** One posterior predictive check: a statistic of the observed series against its predictive distribution. */
export interface ReportCheckRow {
  output: string;
  /** Readable name of the statistic, e.g. 'excess kurtosis'. */
  statistic: string;
  observed: number;
  /** Predictive quantiles at 0.5%, 5%, 50%, 95% and 99.5%. */
  q005: number;
  q05: number;
  q50: number;
  q95: number;
  q995: number;
  /** Two-sided tail probability. */
  pValue: number;
  flagged: boolean;
  /** Simulated series whose statistic was not finite (left out), if any. */
  nonFinite?: number;
}

export interface ReportChecks {
  /** Simulated series (posterior draws) behind each predictive distribution. */
  draws: number;
  /** Tail probability below which a row is flagged, e.g. 0.005. */
  level: number;
  rows: ReportCheckRow[];
}

export interface ReportInput {
  /** Page title, e.g. 'agentgrad fit — volatility'. */
  title: string;
  /** Key/value rows shown in a table at the top (model, epochs, loss, seed, ...). */
  summary: Array<[string, string]>;
  history: ReportHistoryPoint[];
  parameters: ReportParameter[];
  predictive: ReportSeries[];
  posteriorTable: ReportPosteriorRow[];
  /** Posterior predictive checks; without them the section says there are none. */
  predictiveChecks?: ReportChecks;
}
