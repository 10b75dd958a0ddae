/** The tasks capability's pure rules (functions/tasks/rules.ts), table-driven. */
import { describe, expect, it } from 'vitest';
import type { Task } from '../../functions/tasks/model';
import { dueSk, taskIndexKeys } from '../../functions/tasks/repository/keys';
import {
  afterHoursTask,
  cartScanWindow,
  cartTaskDueAt,
  changedTask,
  mayChangeTask,
  needsCartTask,
} from '../../functions/tasks/rules';

describe('mayChangeTask', () => {
  it.each([
    ['anyone closes or snoozes', 'ben', false, 'ana', { status: 'DONE' as const }, true],
    ['a manager reassigns anyone', 'max', true, 'ana', { assignee: 'ben' }, true],
    ['a manager unassigns', 'max', true, 'ana', { assignee: null }, true],
    ['an associate takes an unassigned task', 'ana', false, null, { assignee: 'ana' }, true],
    ['an associate may not give an unassigned task to another', 'ana', false, null, { assignee: 'ben' }, false],
    ['an associate hands their own to a colleague', 'ana', false, 'ana', { assignee: 'ben' }, true],
    ['an associate may not unassign their own', 'ana', false, 'ana', { assignee: null }, false],
    ["an associate may not take a colleague's", 'ana', false, 'ben', { assignee: 'ana' }, false],
  ])('%s', (_name, userId, isManager, assignee, change, allowed) => {
    expect(mayChangeTask({ assignee }, change, { userId, isManager })).toBe(allowed);
  });
});

const task: Task = {
  taskId: 't1',
  storeId: 's',
  title: 'x',
  dueAt: '2030-01-01T10:00:00.000Z',
  assignee: 'ana',
  status: 'OPEN',
  source: 'MANUAL',
  createdAt: '2029-12-31T10:00:00.000Z',
  remindedAt: '2030-01-01T10:00:30.000Z',
};
const now = new Date('2030-01-01T11:00:00Z');

describe('changedTask', () => {
  it('a snooze clears the reminder, so the task is due again', () => {
    const snoozed = changedTask(task, { dueAt: '2030-01-01T13:00:00+01:00' }, now);
    expect(snoozed.dueAt).toBe('2030-01-01T12:00:00.000Z');
    expect(snoozed.remindedAt).toBeUndefined();
  });
  it('closing sets doneAt and keeps the reminder; reopening clears both', () => {
    const done = changedTask(task, { status: 'DONE' }, now);
    expect(done).toMatchObject({ status: 'DONE', doneAt: now.toISOString(), remindedAt: task.remindedAt });
    const open = changedTask(done, { status: 'OPEN' }, now);
    expect(open.doneAt).toBeUndefined();
    expect(open.remindedAt).toBeUndefined();
  });
});

describe('index keys', () => {
  it('sort by due time, and the due entry exists only while OPEN and not reminded', () => {
    expect(dueSk('2030-01-01T09:00:00.000Z', 'zzz') < dueSk('2030-01-01T10:00:00.000Z', 'aaa')).toBe(true);
    expect(taskIndexKeys({ ...task, remindedAt: undefined })).toHaveProperty('gsi3pk');
    expect(taskIndexKeys(task)).not.toHaveProperty('gsi3pk');
    expect(taskIndexKeys({ ...task, status: 'DONE', remindedAt: undefined })).not.toHaveProperty('gsi3pk');
    expect(taskIndexKeys({ ...task, assignee: null })).not.toHaveProperty('gsi2pk');
  });
});

describe('CART_UNPAID timing', () => {
  const expiresAt = '2030-01-02T05:00:00.000Z';
  it('is due an hour before expiry', async () => expect(cartTaskDueAt(expiresAt)).toBe('2030-01-02T04:00:00.000Z'));
  it.each([
    ['shared before the mark, at the mark', { sharedAt: '2030-01-01T20:00:00Z' }, '2030-01-02T04:00:00Z', true],
    ['before the mark', { sharedAt: '2030-01-01T20:00:00Z' }, '2030-01-02T03:59:59Z', false],
    ['shared after the mark', { sharedAt: '2030-01-02T04:10:00Z' }, '2030-01-02T04:20:00Z', false],
    ['paid', { sharedAt: '2030-01-01T20:00:00Z', paidAt: '2030-01-01T21:00:00Z' }, '2030-01-02T04:01:00Z', false],
  ])('%s', (_name, share, at, needed) => {
    expect(needsCartTask({ expiresAt, sharedBy: 'ana', ...share }, new Date(at))).toBe(needed);
  });
  it('the scan reads the expiries whose mark passed in the last ten minutes', () => {
    expect(cartScanWindow(new Date('2030-01-02T04:05:00Z'))).toEqual({
      from: '2030-01-02T04:55:00.000Z',
      to: '2030-01-02T05:05:00.000Z',
    });
  });
});

describe('afterHoursTask', () => {
  const store = { timezone: 'America/New_York', quietHours: { start: '21:00', end: '08:00' } };
  it('is due when the quiet hours end, one per conversation and night', async () => {
    const late = await afterHoursTask('c1', '2030-01-02T03:00:00Z', store); // 22:00 in New York
    const later = await afterHoursTask('c1', '2030-01-02T08:00:00Z', store); // 03:00
    expect(late).toEqual({ dueAt: '2030-01-02T13:00:00.000Z', seed: 'c1#2030-01-02T13:00:00.000Z' });
    expect(later).toEqual(late);
  });
  it('none outside quiet hours, or for a store without them', async () => {
    expect(await afterHoursTask('c1', '2030-01-02T17:00:00Z', store)).toBeUndefined();
    expect(await afterHoursTask('c1', '2030-01-02T03:00:00Z', { ...store, quietHours: null })).toBeUndefined();
  });
});
