// The command-line flags that say which cluster to use and how to log in. Secrets come from the
// environment or from files, never from flags, which other users of the machine can read in `ps`.
import { readFileSync } from 'node:fs';

import type { ClusterOptions } from '../cluster/options.js';
import { integerFlag, UsageError } from './args.js';

export const clusterFlagUsage = `  --cluster URL         NATS server with JetStream, e.g. nats://host:4222
  --user NAME           log in as NAME; the password comes from $AGENTGRAD_NATS_PASSWORD
  --token-file FILE     log in with the token in FILE (or set $AGENTGRAD_NATS_TOKEN)
  --creds FILE          log in with a NATS credentials file (JWT and nkey seed)
  --tls-ca FILE         CA certificate for a TLS server; --tls-cert FILE --tls-key FILE: client certificate
  --ack-wait MS         a task held this long without a heartbeat goes to another worker (default 30000)
  --max-deliveries N    deliveries of a task before the run fails (default 5)`;

export const clusterFlags = {
  cluster: { type: 'string' },
  user: { type: 'string' },
  'token-file': { type: 'string' },
  creds: { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'ack-wait': { type: 'string' },
  'max-deliveries': { type: 'string' },
} as const;

type ClusterFlagValues = Partial<Record<keyof typeof clusterFlags, string>>;

function readSecretFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--${flag}: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The cluster options the flags describe, or undefined without --cluster. */
export function clusterFromFlags(values: ClusterFlagValues, env: NodeJS.ProcessEnv = process.env): ClusterOptions | undefined {
  const url = values.cluster;
  const others = (Object.keys(clusterFlags) as Array<keyof typeof clusterFlags>).filter((flag) => flag !== 'cluster' && values[flag] !== undefined);
  if (url === undefined) {
    if (others.length > 0) throw new UsageError(`--${others[0]} needs --cluster URL`);
    return undefined;
  }
  const options: ClusterOptions = { url };
  if (values.user !== undefined) {
    const password = env['AGENTGRAD_NATS_PASSWORD'];
    if (!password) throw new UsageError('--user needs the password in the environment variable AGENTGRAD_NATS_PASSWORD');
    options.user = values.user;
    options.password = password;
  }
  const token = values['token-file'] !== undefined ? readSecretFile('token-file', values['token-file']) : env['AGENTGRAD_NATS_TOKEN'];
  if (token) options.token = token;
  if (values.creds !== undefined) options.credsFile = values.creds;
  if (values['tls-ca'] !== undefined || values['tls-cert'] !== undefined || values['tls-key'] !== undefined) {
    options.tls = {
      ...(values['tls-ca'] !== undefined ? { caFile: values['tls-ca'] } : {}),
      ...(values['tls-cert'] !== undefined ? { certFile: values['tls-cert'] } : {}),
      ...(values['tls-key'] !== undefined ? { keyFile: values['tls-key'] } : {}),
    };
  }
  const ackWait = integerFlag('ack-wait', values['ack-wait']);
  if (ackWait !== undefined) options.ackWait = ackWait;
  const maxDeliveries = integerFlag('max-deliveries', values['max-deliveries']);
  if (maxDeliveries !== undefined) options.maxDeliveries = maxDeliveries;
  return options;
}
