/** The tasks capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { systemTaskId } from './keys';
export { customerOfStore } from './links';
export { createTask, getTask, listTasks, markReminded, replaceTask, workDueTasks } from './tasks';
