// `--model`: a built-in model's name, or the path of a module whose default export (or the export
// named after '#', e.g. ./models.js#kirmanAnts) is a defineModel factory.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { isModelFactory, type ModelFactory } from '../define/index.js';
import { describeValue } from '../errors.js';
import { configureModel, isModel, modelNames, type Model } from '../models/model.js';
import { UsageError } from './args.js';

/** Makes a model of the chosen kind with the given settings. */
export type ModelMaker = (settings: Record<string, number>) => Model;

export interface ResolvedModel {
  /** The built-in model's name, or undefined for a module's. */
  builtIn?: string;
  make: ModelMaker;
}

function looksLikePath(flag: string): boolean {
  return flag.includes('/') || flag.includes('\\') || /\.(c|m)?js(#.*)?$/.test(flag);
}

/** What a module exported instead of a factory, for the error message. */
function whatIsExported(value: unknown, name: string): string {
  if (value === undefined) return name === 'default' ? 'it has no default export' : `it has no export '${name}'`;
  if (isModel(value)) return `it is a Model, ${value.name}, made by a factory: export the factory itself, export default defineModel({ ... })`;
  return `it is ${typeof value === 'function' ? 'another function' : describeValue(value)}`;
}

async function loadFactory(flag: string): Promise<ModelFactory> {
  const [file, exportName] = flag.split('#') as [string, string | undefined];
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--model: no such file '${file}' (give a built-in model name: ${modelNames().join(', ')}, or a .js module)`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const name = exportName ?? 'default';
  const exported = module[name];
  if (!isModelFactory(exported)) {
    const factories = Object.keys(module).filter((key) => isModelFactory(module[key]));
    throw new UsageError(`--model: the ${exportName ? `export '${exportName}'` : 'default export'} of '${file}' is not a defineModel factory (${whatIsExported(exported, name)})` +
      (factories.length > 0 ? `; its factories are ${factories.map((f) => `${file}#${f}`).join(', ')}` : ''));
  }
  return exported;
}

export async function resolveModelFlag(flag: string): Promise<ResolvedModel> {
  if (!looksLikePath(flag)) {
    if (!modelNames().includes(flag)) {
      throw new UsageError(`--model must be one of ${modelNames().join(', ')} or the path of a module exporting a defineModel factory, got '${flag}'`);
    }
    return { builtIn: flag, make: (settings) => configureModel(flag, settings) };
  }
  const factory = await loadFactory(flag);
  return { make: (settings) => factory(settings) };
}
