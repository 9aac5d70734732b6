export {
  fetchChainId,
  parseSchedulerConfig,
  parseWorkerConfig,
  schedulerConfigSchema,
  WorkerpoolConfigError,
  workerConfigSchema,
} from './config.js';
export { fetchWorkerpoolOrder } from './requester/fetchWorkerpoolOrder.js';
export {
  type ConfidentialTaskResult,
  fetchTaskResult,
  RequestFailedError,
  type RunConfidentialTaskParameters,
  requestConfidentialTask,
  runConfidentialTask,
  type TaskEnd,
  waitForTask,
} from './requester/runConfidentialTask.js';
export {
  type CreateSchedulerParameters,
  createScheduler,
  type PublishedWorkerpoolOrder,
  type Scheduler,
  type WorkerpoolOrderTerms,
} from './scheduler/createScheduler.js';
export {
  type Journal,
  type JournalReplica,
  type JournalTask,
  type JournalTaskState,
  openJournal,
} from './scheduler/openJournal.js';
export { SchedulerErrorCodes, schedulerRoutes, workerLoginMessage } from './scheduler/schedulerRoutes.js';
export { type CreateWorkerParameters, createWorker, type WorkerTaskView } from './worker/createWorker.js';
export { type RunTaskContext, type RunTaskOutcome, runTask } from './worker/runTask.js';
export {
  createSchedulerClient,
  SchedulerCallError,
  type SchedulerClient,
  type WorkerTaskStatus,
} from './worker/schedulerClient.js';
