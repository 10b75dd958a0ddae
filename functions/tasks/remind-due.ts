/**
 * The reminders of the task-reminders schedule (docs/rules.md, "Tasks"): every OPEN task whose
 * due time has come and that was not reminded at it is marked reminded, and its due entry
 * dropped, in one write; the events publisher makes `task.due` of that write (to the assignee,
 * or the store while unassigned). A rerun finds nothing; a snoozed task is due again at its new time.
 */
import * as repository from './repository';

/** Shards of the due index worked at once. */
const SHARD_CONCURRENCY = 4;

export async function remindDueTasks(now: Date, deadline: number): Promise<{ reminded: number; leftover: number }> {
  let reminded = 0;
  const { leftover } = await repository.workDueTasks(
    now,
    { deadline, shardConcurrency: SHARD_CONCURRENCY },
    async (entries) => {
      for (const entry of entries) if (await repository.markReminded(entry, now)) reminded++;
    },
  );
  return { reminded, leftover };
}
