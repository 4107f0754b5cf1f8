// A fit's variational samples as cluster tasks: one task per sample, answered by its statistic.
import type { SampleRunner, SampleStatistic } from '../gvi/objective.js';
import type { ClusterRun } from './coordinator.js';

export function clusterSamples(run: ClusterRun, dimension: number): SampleRunner {
  return async (us, epoch, signal) => {
    const values = await run.runTasks(us.map((u, index) => ({ key: { epoch, index }, u: Float64Array.from(u) })), signal);
    return values.map((value, index): SampleStatistic => {
      if (value === null || (value instanceof Float64Array && value.length === 1 + dimension)) return value;
      throw new Error(`cluster: the result for sample ${index} of epoch ${epoch} is not a sample statistic of ${dimension} parameters`);
    });
  };
}
