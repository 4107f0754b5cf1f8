/** Renders a Vega-Lite specification to a standalone SVG string, headless in Node (no canvas, no network). */
import { View, parse, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A loader that refuses every request: report specs carry their data inline. */
const offlineLoader = {
  load: () => Promise.reject(new Error('agentgrad report: external data is not allowed')),
  sanitize: () => Promise.reject(new Error('agentgrad report: external resources are not allowed')),
  http: () => Promise.reject(new Error('agentgrad report: network access is not allowed')),
  file: () => Promise.reject(new Error('agentgrad report: file access is not allowed')),
} as unknown as Loader;

/**
 * Prefixes every id defined in the SVG (clip paths, gradients) and every reference to it, so several
 * SVGs rendered separately can be inlined in one HTML document without their ids colliding.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

/** Compiles `spec` with Vega-Lite and renders it to SVG with Vega's headless view. */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', loader: offlineLoader });
  try {
    return scopeSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
