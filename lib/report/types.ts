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

export interface ReportInput {
  /** Page title, e.g. 'agentgrad fit — volatility'. */
  title: string;
  /** Key/value rows shown in a table at the top (model, epochs, loss, seed, ...). */
  summary: Array<[string, string]>;
  history: ReportHistoryPoint[];
  parameters: ReportParameter[];
  predictive: ReportSeries[];
  posteriorTable: ReportPosteriorRow[];
}
