/**
 * Saving a store makes sure its time zone has a midnight schedule: through the real
 * SchedulerClient, against the local stack's Scheduler stand-in; faults injected with
 * aws-sdk-client-mock.
 */
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  InternalServerException,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { invoker } from '../support/invoke';
import type { Caller } from '../support/http-events';
import { useFreshTable } from '../support/table';
import { useLocalScheduler } from '../support/zone-schedules';

await useFreshTable('stores-zones');
const schedules = await useLocalScheduler();
const { handler } = await import('../../functions/stores/api.handler');
const { scheduler } = await import('../../functions/shared/clients');
const call = invoker(handler);

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
let phone = 1000;
const storeIn = (timezone: string) => ({
  name: `Store in ${timezone}`,
  timezone,
  country: 'US',
  phoneNumber: `+1212555${phone++}`,
  currency: 'USD',
});
const putStore = (storeId: string, timezone: string) =>
  call({ routeKey: 'PUT /stores/{storeId}', pathParameters: { storeId }, body: storeIn(timezone), caller: admin });
const zoneSchedules = () => schedules.list().filter((s) => s.name.startsWith('cart-midnight-'));

let mock: AwsClientStub<ReturnType<typeof scheduler>> | undefined;
afterEach(() => {
  mock?.restore();
  mock = undefined;
});

describe('zone schedules', () => {
  it("creates the zone's 00:00 schedule with the first store there, and no second one for the next", async () => {
    expect((await putStore('kolkata-1', 'Asia/Kolkata')).status).toBe(201);
    expect((await putStore('kolkata-2', 'Asia/Kolkata')).status).toBe(201);
    expect((await putStore('kolkata-1', 'Asia/Kolkata')).status).toBe(200);

    expect(zoneSchedules().filter((s) => s.timezone === 'Asia/Kolkata')).toEqual([
      { name: 'cart-midnight-Asia-Kolkata', expression: 'cron(0 0 * * ? *)', timezone: 'Asia/Kolkata' },
    ]);
  });

  it('runs the cart sweeper for that zone, at the time the run was scheduled for', () => {
    const run = schedules.run('cart-midnight-Asia-Kolkata', new Date('2027-01-14T18:30:00Z'))!;

    expect(run.fn.id).toBe('CartSweeper');
    expect(run.event).toEqual({ time: '2027-01-14T18:30:00Z', timezone: 'Asia/Kolkata' });
  });

  it('ends with one schedule when two stores of a new zone are saved at the same moment', async () => {
    const answers = await Promise.all([
      putStore('chatham-1', 'Pacific/Chatham'),
      putStore('chatham-2', 'Pacific/Chatham'),
      putStore('chatham-3', 'Pacific/Chatham'),
    ]);

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(zoneSchedules().filter((s) => s.timezone === 'Pacific/Chatham')).toHaveLength(1);
  });

  it("keeps the old zone's schedule when a store moves to another zone", async () => {
    await putStore('mover', 'Australia/Adelaide');
    await putStore('mover', 'Australia/Perth');

    expect(zoneSchedules().map((s) => s.timezone)).toEqual(
      expect.arrayContaining(['Australia/Adelaide', 'Australia/Perth']),
    );
  });

  it('leaves the store unsaved (500) when the scheduler cannot be reached, and a retry saves it', async () => {
    mock = mockClient(scheduler());
    mock
      .on(GetScheduleCommand)
      .rejects(new InternalServerException({ Message: 'down', message: 'down', $metadata: {} }));

    expect((await putStore('denver', 'America/Denver')).status).toBe(500);
    expect(
      (await call({ routeKey: 'GET /stores/{storeId}', pathParameters: { storeId: 'denver' }, caller: admin })).status,
    ).toBe(404);

    mock.restore();
    mock = undefined;
    expect((await putStore('denver', 'America/Denver')).status).toBe(201);
    expect(zoneSchedules().some((s) => s.timezone === 'America/Denver')).toBe(true);
  });

  it('answers 422 and saves nothing when the scheduler refuses the zone', async () => {
    mock = mockClient(scheduler());
    mock
      .on(GetScheduleCommand)
      .rejects(new ResourceNotFoundException({ Message: 'none', message: 'none', $metadata: {} }));
    mock
      .on(CreateScheduleCommand)
      .rejects(new ValidationException({ Message: 'bad zone', message: 'bad zone', $metadata: {} }));

    const res = await putStore('odd-zone', 'America/Phoenix');

    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/timezone-not-schedulable$/);
    expect(res.body.detail).not.toContain('bad zone');
    expect(
      (await call({ routeKey: 'GET /stores/{storeId}', pathParameters: { storeId: 'odd-zone' }, caller: admin }))
        .status,
    ).toBe(404);
  });
});
