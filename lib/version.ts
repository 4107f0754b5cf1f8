// agentgrad's own version, from its package.json (a cluster worker refuses tasks of another version).
import { readFileSync } from 'node:fs';

export const agentgradVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
