/**
 * What the code asks the one Powertools logger to write, at any level (the test setup keeps the
 * logger silent): each call's arguments as JSON, for asserting what a log never holds.
 */
import { vi } from 'vitest';
import { logger } from '../../functions/shared/logger';

/** Records every logger call from now until `vi.restoreAllMocks()`. */
export function captureLogs(): string[] {
  const lines: string[] = [];
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const)
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
  return lines;
}
