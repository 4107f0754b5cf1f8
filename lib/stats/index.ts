export { absoluteAutocorrelation, autocorrelation, excessKurtosis, finalValue, quantileOfSorted, seriesMax, seriesMean, seriesMin, standardDeviation } from './series.js';
