/**
 * `npm run -s token -- --role associate|manager|clienteling-admin --store <storeId> --user <id>`:
 * prints a bearer token for the local stack, and nothing else, so that `TOKEN=$(npm run -s token -- …)`
 * works. It signs with the local stack's key in `.data/` (LOCAL_DATA_DIR), creating it if needed.
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../functions/shared/principal';
import { LOCAL_DEFAULTS } from '../lib/local/defaults';
import { loadOrCreateSigningKey, mintToken } from '../lib/local/tokens';

const usage = `usage: npm run -s token -- --role ${ROLES.join('|')} [--store <storeId>] --user <userId> [--ttl <hours>]
  --store is required for associate and manager, optional for clienteling-admin.`;

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      store: { type: 'string' },
      user: { type: 'string' },
      ttl: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const role = values.role as Role | undefined;
  if (!role || !(ROLES as readonly string[]).includes(role))
    throw new Error(`--role must be one of ${ROLES.join(', ')}.`);
  const ttlHours = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttlHours !== undefined && !(ttlHours > 0)) throw new Error('--ttl must be a positive number of hours.');
  const key = loadOrCreateSigningKey(values['data-dir'] ?? process.env.LOCAL_DATA_DIR ?? LOCAL_DEFAULTS.dataDir);
  const token = mintToken(key, {
    role,
    storeId: values.store,
    userId: values.user ?? (role === 'clienteling-admin' ? 'admin' : ''),
    ttlSeconds: ttlHours === undefined ? undefined : Math.round(ttlHours * 3600),
  });
  process.stdout.write(token + '\n');
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
