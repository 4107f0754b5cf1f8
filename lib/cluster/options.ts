// Where the cluster is and how to log in: the server URL, credentials (user and password, a token,
// or a NATS credentials file) and TLS, passed through to the official client. Secrets never appear
// in an error or a log line: every message that could carry one goes through redact().
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';

import { integerOption, invalidType, isPlainObject } from '../errors.js';

export interface ClusterTls {
  /** PEM file of the certificate authority that signed the server's certificate. */
  caFile?: string;
  /** Client certificate and key (PEM files), for servers that verify clients. */
  certFile?: string;
  keyFile?: string;
}

export interface ClusterOptions {
  /** The NATS server, e.g. 'nats://host:4222' (several: comma-separated). */
  url: string;
  user?: string;
  password?: string;
  token?: string;
  /** A NATS credentials file (JWT and nkey seed), as `nsc` writes it. */
  credsFile?: string;
  tls?: ClusterTls;
  /**
   * Milliseconds a worker may hold a task without a heartbeat before the task is redelivered to
   * another worker (default 30000). Set when the work queue is first created.
   */
  ackWait?: number;
  /** Deliveries of one task before the run fails with an error naming it (default 5). */
  maxDeliveries?: number;
  /** Receives notices: a worker refusing or failing a task, no worker answering (default: process.emitWarning). */
  onNotice?: (message: string) => void;
}

export interface CheckedClusterOptions extends Required<Pick<ClusterOptions, 'url' | 'ackWait' | 'maxDeliveries'>> {
  user?: string;
  password?: string;
  token?: string;
  credsFile?: string;
  tls?: ClusterTls;
  onNotice: (message: string) => void;
}

function optionalString(where: string, value: unknown, secret = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw secret ? new TypeError(`${where} must be a non-empty string`) : invalidType(where, 'a non-empty string', value);
  }
  return value;
}

function checkTls(where: string, value: unknown): ClusterTls | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalidType(where, 'an object { caFile, certFile, keyFile }', value);
  for (const key of Object.keys(value)) if (!['caFile', 'certFile', 'keyFile'].includes(key)) throw new TypeError(`${where}.${key} is not a TLS option; use caFile, certFile, keyFile`);
  const tls: ClusterTls = {};
  for (const key of ['caFile', 'certFile', 'keyFile'] as const) {
    const file = optionalString(`${where}.${key}`, value[key]);
    if (file !== undefined) tls[key] = file;
  }
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) throw new TypeError(`${where} needs certFile and keyFile together`);
  return tls;
}

const warnedOnce = new Set<string>();
function emitNotice(message: string): void {
  if (warnedOnce.has(message)) return;
  warnedOnce.add(message);
  process.emitWarning(message, { code: 'AGENTGRAD_CLUSTER' });
}

export function checkClusterOptions(value: unknown, where = 'cluster'): CheckedClusterOptions {
  if (!isPlainObject(value)) throw invalidType(where, "an object { url: 'nats://host:4222', ... }", value);
  const known = ['url', 'user', 'password', 'token', 'credsFile', 'tls', 'ackWait', 'maxDeliveries', 'onNotice'];
  for (const key of Object.keys(value)) if (!known.includes(key)) throw new TypeError(`${where}.${key} is not a cluster option; options are ${known.join(', ')}`);
  const url = value['url'];
  if (typeof url !== 'string' || !url.split(',').every((server) => /^(nats|tls):\/\/[^\s/]+$/.test(server.trim()))) {
    throw new TypeError(`${where}.url must be a NATS server URL like 'nats://host:4222' (several: comma-separated), got ${typeof url === 'string' ? `'${publicUrl(url)}'` : typeof url}`);
  }
  const onNotice = value['onNotice'];
  if (onNotice !== undefined && typeof onNotice !== 'function') throw invalidType(`${where}.onNotice`, 'a function', onNotice);
  const checked: CheckedClusterOptions = {
    url,
    ackWait: integerOption(`${where}.ackWait`, value['ackWait'], 30_000, 100, 3_600_000),
    maxDeliveries: integerOption(`${where}.maxDeliveries`, value['maxDeliveries'], 5, 1, 1000),
    onNotice: (onNotice as ((message: string) => void) | undefined) ?? emitNotice,
  };
  const user = optionalString(`${where}.user`, value['user']);
  const password = optionalString(`${where}.password`, value['password'], true);
  const token = optionalString(`${where}.token`, value['token'], true);
  const credsFile = optionalString(`${where}.credsFile`, value['credsFile']);
  if ((user === undefined) !== (password === undefined)) throw new TypeError(`${where} needs user and password together`);
  if ([user, token, credsFile].filter((x) => x !== undefined).length > 1) throw new TypeError(`${where}: give one of user and password, token, or credsFile`);
  const tls = checkTls(`${where}.tls`, value['tls']);
  return { ...checked, ...(user && { user, password }), ...(token && { token }), ...(credsFile && { credsFile }), ...(tls && { tls }) };
}

/** The server URL(s) without any user name, password or token written into them. */
export function publicUrl(url: string): string {
  return url.replace(/\/\/[^@/\s]*@/g, '//');
}

/** `text` with every secret of `options` (and any user info in URLs) replaced by '***'. */
export function redact(text: string, options: Pick<ClusterOptions, 'password' | 'token' | 'url'>): string {
  let out = publicUrl(text);
  for (const secret of [options.password, options.token, ...secretsInUrl(options.url)]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

function secretsInUrl(url: string | undefined): string[] {
  return [...(url ?? '').matchAll(/\/\/([^@/\s]*)@/g)].flatMap((m) => m[1]!.split(':')).filter((s) => s.length > 0);
}

export function processName(): string {
  return `${hostname()}:${process.pid}`;
}

/** Connects to the cluster; a failure says where and why, without secrets. */
export async function connectCluster(options: CheckedClusterOptions, role: string): Promise<NatsConnection> {
  try {
    let authenticator;
    if (options.credsFile !== undefined) authenticator = credsAuthenticator(readFileSync(options.credsFile));
    return await connect({
      servers: options.url.split(',').map((server) => server.trim()),
      name: `agentgrad ${role} ${processName()}`,
      ...(options.user !== undefined ? { user: options.user, pass: options.password } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(authenticator ? { authenticator } : {}),
      ...(options.tls ? { tls: { ...options.tls } } : {}),
      maxReconnectAttempts: -1,
    });
  } catch (error) {
    throw new Error(`cannot connect to the cluster at ${publicUrl(options.url)}: ${redact((error as Error).message, options)}`);
  }
}
