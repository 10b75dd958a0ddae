/**
 * Midnight schedules per store time zone, behind a port: saving a store only asks that its
 * zone's schedule exist. EventBridge Scheduler implements it; the local stack answers the same
 * two Scheduler calls on a loopback endpoint (lib/local/zone-schedules.ts), so this code runs
 * unchanged there, and a test can hand the use case any other implementation.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  ValidationException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { scheduler } from '../shared/clients';
import { loadConfig } from '../shared/config';
import { RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { midnightSchedule } from './rules';

export interface ZoneSchedules {
  /** Makes sure the zone's midnight schedule exists: `created` when this call made it. Idempotent. */
  ensure(timezone: string): Promise<'created' | 'existing'>;
}

/** Scheduler's retry policy for a run the sweeper failed: as the 15-minute rule's, two more tries within the hour. */
const RETRIES = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 };

/**
 * The port on EventBridge Scheduler, in the stack's schedule group. Reads first (the common
 * case: the zone is in use already, one call, nothing logged as an error), creates when the
 * schedule is missing, and takes a ConflictException (another store of the zone saved at the
 * same moment) as "there already".
 */
export function eventBridgeZoneSchedules(client: () => SchedulerClient = scheduler): ZoneSchedules {
  return {
    async ensure(timezone) {
      const config = loadConfig('zoneScheduleGroup', 'zoneScheduleTarget', 'zoneScheduleRole');
      const schedule = midnightSchedule(timezone);
      try {
        await client().send(new GetScheduleCommand({ Name: schedule.name, GroupName: config.zoneScheduleGroup }));
        return 'existing';
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      try {
        await client().send(
          new CreateScheduleCommand({
            Name: schedule.name,
            GroupName: config.zoneScheduleGroup,
            Description: `Clears remote carts at 00:00 in ${timezone}`,
            ScheduleExpression: schedule.expression,
            ScheduleExpressionTimezone: schedule.timezone,
            // To the minute: no flexible window.
            FlexibleTimeWindow: { Mode: 'OFF' },
            State: 'ENABLED',
            Target: {
              Arn: config.zoneScheduleTarget,
              RoleArn: config.zoneScheduleRole,
              Input: schedule.input,
              RetryPolicy: RETRIES,
            },
          }),
        );
        logger.info('zone schedule created', { schedule: schedule.name, timezone });
        return 'created';
      } catch (error) {
        if (error instanceof ConflictException) return 'existing';
        if (error instanceof ValidationException) {
          logger.warn('the scheduler refused a zone schedule', { timezone, reason: error.message });
          throw new RuleViolationError(
            `Carts cannot be scheduled to clear at midnight in the time zone ${timezone}; use its canonical IANA name (e.g. America/New_York).`,
            'timezone-not-schedulable',
          );
        }
        throw error;
      }
    },
  };
}
