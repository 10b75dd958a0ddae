/**
 * The local stack's EventBridge Scheduler stand-in, driven with the real SchedulerClient: it
 * answers GetSchedule/CreateSchedule as Scheduler does (errors included), so a mistake that AWS
 * would refuse fails locally too, and it keeps what was created across restarts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/engines';
import { localFunctionArn } from '../../lib/local/lambda-runtime';
import { LOCAL_SCHEDULE_GROUP, LocalSchedules } from '../../lib/local/zone-schedules';

const functions = FUNCTIONS as readonly FunctionSpec[];
const file = join(mkdtempSync(join(tmpdir(), 'local-scheduler-')), 'schedules.json');
const schedules = new LocalSchedules(functions, file);
let client: SchedulerClient;

beforeAll(async () => {
  await schedules.serveApi();
  client = new SchedulerClient({
    endpoint: schedules.environment().AWS_ENDPOINT_URL_SCHEDULER,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  client.destroy();
  await schedules.stop();
});

const valid = (name: string, overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: LOCAL_SCHEDULE_GROUP,
  ScheduleExpression: 'cron(0 0 * * ? *)',
  ScheduleExpressionTimezone: 'Australia/Adelaide',
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: {
    Arn: localFunctionArn('CartSweeper'),
    RoleArn: 'arn:aws:iam::000000000000:role/x',
    Input: '{"time":"<aws.scheduler.scheduled-time>","timezone":"Australia/Adelaide"}',
  },
  ...overrides,
});

describe('the local Scheduler endpoint', () => {
  it('creates a schedule, reads it back, and refuses a second one of the same name with ConflictException', async () => {
    const created = await client.send(new CreateScheduleCommand(valid('adelaide')));
    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:${LOCAL_REGION}:000000000000:schedule/${LOCAL_SCHEDULE_GROUP}/adelaide`,
    );

    const read = await client.send(new GetScheduleCommand({ Name: 'adelaide', GroupName: LOCAL_SCHEDULE_GROUP }));
    expect(read).toMatchObject({
      Name: 'adelaide',
      ScheduleExpression: 'cron(0 0 * * ? *)',
      ScheduleExpressionTimezone: 'Australia/Adelaide',
      Target: { Arn: localFunctionArn('CartSweeper') },
    });
    expect(read.CreationDate).toBeInstanceOf(Date);

    await expect(client.send(new CreateScheduleCommand(valid('adelaide')))).rejects.toBeInstanceOf(ConflictException);
  });

  it('answers ResourceNotFoundException for a schedule or a group that does not exist', async () => {
    await expect(
      client.send(new GetScheduleCommand({ Name: 'nowhere', GroupName: LOCAL_SCHEDULE_GROUP })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new CreateScheduleCommand(valid('elsewhere', { GroupName: 'other-group' }))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it.each([
    ['a name Scheduler refuses', valid('Asia/Kolkata')],
    ['a name longer than 64', valid('x'.repeat(65))],
    ['an unknown time zone', valid('mars', { ScheduleExpressionTimezone: 'Mars/Olympus' })],
    ['a malformed expression', valid('bad-cron', { ScheduleExpression: '0 0 * * *' })],
    [
      'a target that is no function of the stack',
      valid('no-target', {
        Target: {
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:nope',
          RoleArn: 'arn:aws:iam::000000000000:role/x',
        },
      }),
    ],
  ])('refuses %s with ValidationException', async (_why, input) => {
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ValidationException);
  });

  it('fires a created schedule with its input, the placeholders filled in for the given time', () => {
    const run = schedules.run('adelaide', new Date('2027-10-03T13:30:00.000Z'))!;

    expect(run.fn.id).toBe('CartSweeper');
    expect(run.time).toBe('2027-10-03T13:30:00Z');
    expect(run.event).toEqual({ time: '2027-10-03T13:30:00Z', timezone: 'Australia/Adelaide' });
  });

  it('fires a manifest schedule with an EventBridge scheduled event', () => {
    const run = schedules.run('cart-sweeper', new Date('2027-01-01T00:15:00Z'))!;

    expect(run.fn.id).toBe('CartSweeper');
    expect(run.event).toMatchObject({ 'detail-type': 'Scheduled Event', time: '2027-01-01T00:15:00Z' });
    expect(schedules.run('no-such-schedule', new Date())).toBeUndefined();
  });

  it("fires a created schedule on a real timer at its zone's next midnight (npm start)", async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      vi.setSystemTime(new Date('2027-10-03T13:29:00Z')); // 23:59 in Adelaide (+10:30)
      const timed = new LocalSchedules(functions, file);
      const fired: Array<[string, string]> = [];
      timed.armMidnightTimers((name, time) => fired.push([name, time.toISOString()]));

      await vi.advanceTimersByTimeAsync(59_000);
      expect(fired).toEqual([]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(fired).toEqual([['adelaide', '2027-10-03T13:30:00.000Z']]);
      await vi.advanceTimersByTimeAsync(24 * 3_600_000);
      expect(fired).toEqual([
        ['adelaide', '2027-10-03T13:30:00.000Z'],
        ['adelaide', '2027-10-04T13:30:00.000Z'],
      ]);
      await timed.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps created schedules across a restart', () => {
    const restarted = new LocalSchedules(functions, file);

    expect(restarted.list()).toContainEqual({
      name: 'adelaide',
      expression: 'cron(0 0 * * ? *)',
      timezone: 'Australia/Adelaide',
    });
    expect(restarted.list()).toContainEqual({ name: 'cart-sweeper', expression: 'rate(15 minutes)', timezone: 'UTC' });
  });
});
