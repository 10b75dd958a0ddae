/**
 * The local stack's EventBridge Scheduler stand-in (lib/local/zone-schedules.ts) for integration
 * tests: started on a free loopback port, with the variables the stores function reads set, so
 * `PUT /stores/{id}` creates its zone's schedule through the real SchedulerClient. Call at
 * module top level, before the handler is imported; it stops after the file.
 */
import { afterAll } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import { LocalSchedules } from '../../lib/local/zone-schedules';

export async function useLocalScheduler(): Promise<LocalSchedules> {
  const schedules = new LocalSchedules(FUNCTIONS as readonly FunctionSpec[], undefined);
  await schedules.serveApi();
  Object.assign(process.env, schedules.environment());
  afterAll(() => schedules.stop());
  return schedules;
}
