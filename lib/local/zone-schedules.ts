/**
 * The local stack's schedules: the manifest's rate schedules, plus the per-time-zone midnight
 * schedules that functions create at run time. The stores function creates those with the real
 * SchedulerClient, so this module answers the two EventBridge Scheduler calls it makes
 * (GetSchedule, CreateSchedule) on a loopback endpoint (AWS_ENDPOINT_URL_SCHEDULER), checks them
 * as Scheduler would, and keeps what was created in `<dataDir>/schedules.json` across restarts,
 * as the deployed schedule group keeps its schedules.
 *
 * Every schedule can be listed (`GET /_local/schedules`) and fired by name at a given time
 * (`POST /_local/schedules/{name}`): a zone schedule delivers its target the input it was created
 * with, Scheduler's `<aws.scheduler.…>` placeholders filled in for that time.
 *
 * Just over 300 lines: the schedules, their timers and the Scheduler calls that create them share one state.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime, IANAZone } from 'luxon';
import type { FunctionSpec } from '../function-spec';
import { ENV } from '../../functions/shared/env-names';
import { LOCAL_REGION } from './engines';
import { LOCAL_ACCOUNT_ID, localFunctionArn } from './lambda-runtime';
import { eventBridgeTime, scheduledEvent } from './schedules';

/** One line of `GET /_local/schedules`. */
export interface ScheduleListing {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
}

/** A schedule created through the Scheduler API, as kept on disk. */
interface CreatedSchedule {
  readonly name: string;
  readonly groupName: string;
  readonly expression: string;
  readonly timezone: string;
  readonly description?: string;
  readonly target: { readonly arn: string; readonly roleArn: string; readonly input?: string };
  readonly flexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  readonly createdAt: string;
}

/** One run of a schedule: the function, the event it receives, and the time it runs for. */
export interface ScheduledRun {
  readonly fn: FunctionSpec;
  readonly event: unknown;
  readonly time: string;
}

export const LOCAL_SCHEDULE_GROUP = 'clienteling-local';
const LOCAL_SCHEDULER_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/clienteling-local-scheduler`;
/** Scheduler's own limits on names, checked here so that what works locally is accepted on AWS. */
const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;
const EXPRESSION = /^(cron|rate|at)\(.+\)$/;

/** EventBridge's rendering of a rate: the largest whole unit, singular for one. */
export function rateExpression(everyMinutes: number): string {
  const [value, unit] =
    everyMinutes % 1440 === 0
      ? [everyMinutes / 1440, 'day']
      : everyMinutes % 60 === 0
        ? [everyMinutes / 60, 'hour']
        : [everyMinutes, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException',
    message: string,
  ) {
    super(message);
  }
}

export class LocalSchedules {
  private readonly created = new Map<string, CreatedSchedule>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private onMidnight: ((name: string, time: Date) => void) | undefined;
  private server: Server | undefined;

  constructor(
    private readonly functions: readonly FunctionSpec[],
    /** Where created schedules are kept; undefined keeps them in memory only. */
    private readonly file: string | undefined,
  ) {
    if (file && existsSync(file)) {
      for (const schedule of JSON.parse(readFileSync(file, 'utf8')) as CreatedSchedule[])
        this.created.set(schedule.name, schedule);
    }
  }

  /** The manifest's rate schedules, then the created ones by name. */
  list(): ScheduleListing[] {
    const rates = this.functions.flatMap((f) =>
      f.schedule
        ? [{ name: f.schedule.name, expression: rateExpression(f.schedule.everyMinutes), timezone: 'UTC' }]
        : [],
    );
    const created = [...this.created.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ name, expression, timezone }) => ({ name, expression, timezone }));
    return [...rates, ...created];
  }

  /** What firing `name` at `time` runs, or undefined when no schedule has that name. */
  run(name: string, time: Date): ScheduledRun | undefined {
    const timed = this.functions.find((f) => f.schedule?.name === name);
    if (timed) {
      const event = scheduledEvent(name, time);
      return { fn: timed, event, time: event.time };
    }
    const schedule = this.created.get(name);
    if (!schedule) return undefined;
    const fn = this.functions.find((f) => localFunctionArn(f.id) === schedule.target.arn);
    if (!fn) throw new Error(`Schedule ${name} targets ${schedule.target.arn}, which is no function of this stack.`);
    const at = eventBridgeTime(time);
    const input = (schedule.target.input ?? '')
      .replaceAll('<aws.scheduler.scheduled-time>', at)
      .replaceAll('<aws.scheduler.schedule-arn>', this.arnOf(schedule))
      .replaceAll('<aws.scheduler.execution-id>', randomUUID())
      .replaceAll('<aws.scheduler.attempt-number>', '1');
    return { fn, event: parseInput(input), time: at };
  }

  /** The variables that point the functions' SchedulerClient and `uses.zoneSchedules` binding here. */
  environment(): Record<string, string> {
    if (!this.server) throw new Error('serveApi() first');
    const target = this.functions.find((f) => f.zoneMidnights);
    return {
      AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`,
      [ENV.zoneScheduleGroup]: LOCAL_SCHEDULE_GROUP,
      [ENV.zoneScheduleRole]: LOCAL_SCHEDULER_ROLE,
      ...(target ? { [ENV.zoneScheduleTarget]: localFunctionArn(target.id) } : {}),
    };
  }

  /** Starts the Scheduler endpoint on a free loopback port. */
  async serveApi(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /**
   * Fires each zone schedule at its zone's next 00:00 on real timers (`npm start`), and the ones
   * created later too. Where a DST jump skips midnight, Scheduler skips that day's run while this
   * fires at the day's first instant; the 15-minute sweep covers that day on AWS anyway.
   */
  armMidnightTimers(fire: (name: string, time: Date) => void): void {
    this.onMidnight = fire;
    for (const schedule of this.created.values()) this.arm(schedule);
  }

  async stop(): Promise<void> {
    this.onMidnight = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  private arm(schedule: CreatedSchedule): void {
    if (!this.onMidnight || this.timers.has(schedule.name)) return;
    const next = DateTime.now().setZone(schedule.timezone).plus({ days: 1 }).startOf('day').toJSDate();
    const timer = setTimeout(
      () => {
        this.timers.delete(schedule.name);
        this.onMidnight?.(schedule.name, next);
        this.arm(schedule);
      },
      Math.max(0, next.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(schedule.name, timer);
  }

  private arnOf(schedule: Pick<CreatedSchedule, 'groupName' | 'name'>): string {
    return `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/${schedule.groupName}/${schedule.name}`;
  }

  // ── the Scheduler API (restJson1: GET and POST /schedules/{Name}) ───────────────────────

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    let status = 200;
    let body: unknown;
    try {
      if (!match)
        throw new SchedulerError(
          404,
          'ResourceNotFoundException',
          `This local Scheduler answers /schedules/{Name} only, not ${url.pathname}.`,
        );
      const name = decodeURIComponent(match[1]!);
      if (req.method === 'GET') body = this.getSchedule(name, url.searchParams.get('groupName') ?? 'default');
      else if (req.method === 'POST')
        body = this.createSchedule(
          name,
          JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
        );
      else
        throw new SchedulerError(
          400,
          'ValidationException',
          `This local Scheduler does not implement ${req.method} ${url.pathname}.`,
        );
    } catch (error) {
      const failure =
        error instanceof SchedulerError
          ? error
          : new SchedulerError(400, 'ValidationException', (error as Error).message);
      status = failure.status;
      body = { Message: failure.message };
      res.setHeader('x-amzn-errortype', failure.code);
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private requireGroup(groupName: string): void {
    if (groupName !== LOCAL_SCHEDULE_GROUP)
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule group ${groupName} does not exist.`);
  }

  private getSchedule(name: string, groupName: string): unknown {
    this.requireGroup(groupName);
    const schedule = this.created.get(name);
    if (!schedule) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    const created = Date.parse(schedule.createdAt) / 1000;
    return {
      Arn: this.arnOf(schedule),
      Name: schedule.name,
      GroupName: schedule.groupName,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timezone,
      Description: schedule.description,
      State: 'ENABLED',
      FlexibleTimeWindow: schedule.flexibleTimeWindow,
      Target: { Arn: schedule.target.arn, RoleArn: schedule.target.roleArn, Input: schedule.target.input },
      CreationDate: created,
      LastModificationDate: created,
    };
  }

  private createSchedule(name: string, input: Record<string, unknown>): unknown {
    const groupName = typeof input.GroupName === 'string' ? input.GroupName : 'default';
    this.requireGroup(groupName);
    if (!SCHEDULE_NAME.test(name))
      throw new SchedulerError(400, 'ValidationException', `Schedule name ${name} must be 1-64 of [0-9A-Za-z_.-].`);
    const expression = input.ScheduleExpression;
    if (typeof expression !== 'string' || !EXPRESSION.test(expression))
      throw new SchedulerError(400, 'ValidationException', `Invalid ScheduleExpression ${String(expression)}.`);
    const timezone = input.ScheduleExpressionTimezone ?? 'UTC';
    if (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone))
      throw new SchedulerError(400, 'ValidationException', `Invalid ScheduleExpressionTimezone ${String(timezone)}.`);
    const window = input.FlexibleTimeWindow as CreatedSchedule['flexibleTimeWindow'] | undefined;
    if (!window || typeof window.Mode !== 'string')
      throw new SchedulerError(400, 'ValidationException', 'FlexibleTimeWindow is required.');
    const target = input.Target as { Arn?: unknown; RoleArn?: unknown; Input?: unknown } | undefined;
    if (typeof target?.Arn !== 'string' || typeof target.RoleArn !== 'string')
      throw new SchedulerError(400, 'ValidationException', 'Target needs an Arn and a RoleArn.');
    if (!this.functions.some((f) => localFunctionArn(f.id) === target.Arn))
      throw new SchedulerError(400, 'ValidationException', `Target ${target.Arn} is no function of this stack.`);
    if (this.created.has(name)) throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);

    const schedule: CreatedSchedule = {
      name,
      groupName,
      expression,
      timezone,
      ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      target: {
        arn: target.Arn,
        roleArn: target.RoleArn,
        ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
      },
      flexibleTimeWindow: window,
      createdAt: new Date().toISOString(),
    };
    this.created.set(name, schedule);
    this.save();
    this.arm(schedule);
    return { ScheduleArn: this.arnOf(schedule) };
  }

  /** Written aside and renamed in, so a crash mid-write never leaves half a file. */
  private save(): void {
    if (!this.file) return;
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.created.values()], null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** Lambda receives a JSON input parsed; anything else as the string it is. */
function parseInput(input: string): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
