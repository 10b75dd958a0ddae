/**
 * A compact, human format for the local stack's logs: one line per entry,
 * `time LEVEL function message key=value…`, instead of a JSON object of a dozen Lambda fields.
 * Chosen by `LOG_FORMAT=text`, which only the local stack sets (lib/local/environment.ts); on
 * AWS the logger writes JSON, which CloudWatch Logs Insights and the metric filters read
 * (docs/architecture.md, "Handler wrappers").
 */
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';

/** Fields every line has, or Lambda plumbing: the line's head says what matters of them. */
const HEAD_FIELDS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** A value as it reads after `key=`: bare when it is one plain word, JSON otherwise. */
function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Set) return JSON.stringify([...value]);
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && 'message' in value && 'name' in value) {
    const error = value as { name: unknown; message: unknown; location?: unknown };
    return JSON.stringify(`${error.name}: ${error.message}${error.location ? ` (${error.location})` : ''}`);
  }
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof Set ? [...inner] : typeof inner === 'bigint' ? inner.toString() : inner,
  );
}

/**
 * One log entry's attributes as a line: the time of day (UTC, milliseconds), the level, the
 * function (its name without the service's prefix), the message, then every other attribute.
 */
export function textLine(attributes: Record<string, unknown>): string {
  const timestamp = String(attributes.timestamp ?? '');
  const time = timestamp.length >= 23 ? timestamp.slice(11, 23) : timestamp;
  const level = String(attributes.level ?? '').padEnd(5);
  const service = typeof attributes.service === 'string' ? `${attributes.service}-` : '';
  const name = typeof attributes.function_name === 'string' ? attributes.function_name : '-';
  const fn = name.startsWith(service) ? name.slice(service.length) : name;
  const pairs = Object.entries(attributes)
    .filter(([key, value]) => !HEAD_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${textValue(value)}`);
  return [time, level, fn, String(attributes.message ?? ''), ...pairs].join(' ');
}

/** The Powertools logger, printing text lines: warnings and errors to stderr, the rest to stdout. */
export class TextLogger extends Logger {
  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = log.getAttributes() as Record<string, unknown>;
    const toStderr = ['WARN', 'ERROR', 'CRITICAL'].includes(String(attributes.level));
    (toStderr ? process.stderr : process.stdout).write(`${textLine(attributes)}\n`);
  }
}
