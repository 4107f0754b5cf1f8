// A worker thread of diagnose: takes simulation indices, runs each fit, posts the outcome back.
import { parentPort, workerData } from 'node:worker_threads';

import { runOneFit } from './oneFit.js';
import type { Recipe } from './recipe.js';

const recipe = workerData as Recipe;

parentPort!.on('message', (index: number) => {
  runOneFit(recipe, index).then(
    (outcome) => parentPort!.postMessage({ outcome }),
    (error: unknown) => parentPort!.postMessage({ index, error: (error as Error).message }),
  );
});
