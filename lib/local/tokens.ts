/**
 * Local bearer tokens: HS256 JWTs the local stack mints and verifies, standing in for Cognito and
 * the HTTP API's JWT authorizer. The signing key lives in the data directory, so tokens printed
 * by `npm run token` keep working across restarts of `npm start`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../../functions/shared/principal';

export const LOCAL_ISSUER = 'https://clienteling.local/issuer';
export const LOCAL_AUDIENCE = 'clienteling-local';
const DEFAULT_TTL_SECONDS = 12 * 60 * 60;

export interface TokenSubject {
  readonly role: Role;
  readonly userId: string;
  /** Required for associates and managers; optional for admins. */
  readonly storeId?: string;
  readonly ttlSeconds?: number;
}

/** The claims as they travel inside a local token (groups as a real array, like Cognito's id token). */
export interface LocalClaims {
  sub: string;
  'custom:store_id'?: string;
  'cognito:groups': string[];
  iss: string;
  aud: string;
  token_use: 'id';
  iat: number;
  exp: number;
}

export const signingKeyFile = (dataDir: string): string => join(dataDir, 'local-jwt-signing-key');

/** Reads the key from the data directory, creating a random one on first use. */
export function loadOrCreateSigningKey(dataDir: string): Buffer {
  const file = signingKeyFile(dataDir);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // `wx` fails if another process (the token command, a second start) created it meanwhile.
  try {
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
}

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
const sign = (key: Buffer, input: string): Buffer => createHmac('sha256', key).update(input).digest();

export function mintToken(key: Buffer, subject: TokenSubject, now: Date = new Date()): string {
  if (!(ROLES as readonly string[]).includes(subject.role))
    throw new Error(`Unknown role ${subject.role}; use one of ${ROLES.join(', ')}.`);
  if (subject.role !== 'clienteling-admin' && !subject.storeId) throw new Error(`A ${subject.role} needs a store id.`);
  if (!subject.userId) throw new Error('A user id is required.');
  const iat = Math.floor(now.getTime() / 1000);
  const claims: LocalClaims = {
    sub: subject.userId,
    ...(subject.storeId ? { 'custom:store_id': subject.storeId } : {}),
    'cognito:groups': [subject.role],
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    token_use: 'id',
    iat,
    exp: iat + (subject.ttlSeconds ?? DEFAULT_TTL_SECONDS),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${base64url(sign(key, unsigned))}`;
}

export type Verification = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** Checks signature, algorithm, issuer, audience and expiry, as the HTTP API's JWT authorizer does. */
export function verifyToken(key: Buffer, token: string, now: Date = new Date()): Verification {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [header, payload, signature] = parts as [string, string, string];
  let parsedHeader: unknown;
  let claims: Record<string, unknown>;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  if ((parsedHeader as { alg?: unknown })?.alg !== 'HS256') return { ok: false, reason: 'unexpected algorithm' };
  const expected = sign(key, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed claims' };
  if (claims.iss !== LOCAL_ISSUER) return { ok: false, reason: 'unexpected issuer' };
  if (claims.aud !== LOCAL_AUDIENCE) return { ok: false, reason: 'unexpected audience' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > now.getTime())
    return { ok: false, reason: 'not valid yet' };
  return { ok: true, claims };
}

/**
 * The claims the way API Gateway's JWT authorizer hands them to the function: every value a
 * string, arrays in the bracketed space-separated form (`[associate manager]`).
 */
export function authorizerClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.map(String).join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}
