import { invalid } from '../validate.js';
import {
  type BulkContext,
  type BulkRequest,
  type BulkTask,
  listBulkTasks,
  readBulkRequest,
  requestProgress,
  settleTask,
} from './bulkRequest.js';

/** Parameters of `inspectBulkRequest`, as iExec's. */
export type InspectBulkRequestParameters = {
  bulkRequest: BulkRequest;
  /** Download and decrypt the result of each completed task (needs `resultIdentity`). */
  withResult?: boolean;
  /** The beneficiary's age identity. */
  resultIdentity?: string;
  /** A file of each result to return instead of the whole zip's files. */
  path?: string;
};

/** Where a bulk request stands. */
export type BulkStatus = 'INITIALIZING' | 'IN_PROGRESS' | 'FINISHED';

/** What `inspectBulkRequest` returns, as iExec's. */
export type InspectBulkRequestReturnType = {
  /** INITIALIZING: no task yet; FINISHED: every slice has a task and every task ended; else IN_PROGRESS. */
  bulkStatus: BulkStatus;
  /** Slices without a task yet (the request's remaining volume). */
  tasksToCreateCount: number;
  /** Tasks created and not ended (UNSET, ACTIVE or REVEALING). */
  tasksProcessingCount: number;
  /** Tasks that ended, COMPLETED or FAILED (`success` tells which). */
  tasksCompletedCount: number;
  /** Slices in the request. */
  tasksTotalCount: number;
  tasks: BulkTask[];
};

/**
 * Reads a bulk request's progress from the chain alone (no indexer): its consumed volume, its
 * deals (derived from the request hash) and each task's status and outcome; with `withResult`,
 * the results of completed tasks.
 * @throws DataProtectorError `CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`, `CONFIDE_DATAPROTECTOR_SERVICE_FAILED`
 * @example
 * const { bulkStatus, tasksCompletedCount } = await dp.inspectBulkRequest({ bulkRequest })
 */
export async function inspectBulkRequest(
  ctx: BulkContext,
  params: InspectBulkRequestParameters,
): Promise<InspectBulkRequestReturnType> {
  const request = readBulkRequest(params?.bulkRequest);
  if (params.withResult && typeof params.resultIdentity !== 'string') {
    throw invalid('withResult needs resultIdentity, the age identity the results are encrypted to');
  }
  const { requestHash, consumed } = await requestProgress(ctx, request);
  const listed = await listBulkTasks(ctx, requestHash, consumed);
  const tasks = await Promise.all(
    listed.map((task) =>
      settleTask(ctx, task, {
        wait: false,
        ...(params.withResult && params.resultIdentity ? { identity: params.resultIdentity } : {}),
        ...(params.path === undefined ? {} : { path: params.path }),
      }),
    ),
  );
  const ended = tasks.filter((t) => t.status === 'COMPLETED' || t.status === 'FAILED').length;
  const toCreate = Number(request.volume - consumed);
  const processing = tasks.length - ended;
  return {
    bulkStatus: consumed === 0n ? 'INITIALIZING' : toCreate === 0 && processing === 0 ? 'FINISHED' : 'IN_PROGRESS',
    tasksToCreateCount: toCreate,
    tasksProcessingCount: processing,
    tasksCompletedCount: ended,
    tasksTotalCount: Number(request.volume),
    tasks,
  };
}
