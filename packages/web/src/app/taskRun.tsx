// Running an app on a protected data from the page: the request's steps, the task's phases on
// chain, then the result downloaded and decrypted here. Shared by the Run page (access granted by
// a dataset order) and the Shop (access by a rental or a subscription).
import { type ReactNode, useState } from 'react';
import { fetchBook } from './api.js';
import type { Endpoints } from './network.js';
import type { DataProtector } from './openDataProtector.js';
import { ErrorNote, messageOf, Short, type StepState, Steps, useSteps } from './ui.js';

/** processProtectedData's steps up to the request (onStatusUpdate titles). */
const REQUEST_STEPS = [
  ['FETCH_ORDERS', 'Find the app, data and workerpool orders'],
  ['GENERATE_ENCRYPTION_KEY', 'Create the result key pair (kept in this page)'],
  ['REQUEST_TO_PROCESS_PROTECTED_DATA', 'Sign the request and match the orders on chain'],
] as const;

/** The task's phases on chain, as waitForTaskCompletion reports them. */
const TASK_PHASES = [
  ['ACTIVE', 'Task initialized by the workerpool, running in an enclave'],
  ['COMPLETED', 'Result published, everyone paid'],
] as const;

type Files = Map<string, Uint8Array>;

/** What a request answers with `waitForResult: false`: the task and the key its result is sealed for. */
type Requested = { taskId: string; resultKey: { identity: string } };

/** Sends the request with a DataProtector, reporting its steps. */
type Request = (
  dp: DataProtector,
  onStatusUpdate: (u: { title: string; isDone: boolean }) => void,
) => Promise<Requested>;

/** The best (cheapest) open prices of `app` and of the workerpools: what a run may pay them. */
export async function marketPrices(endpoints: Endpoints, app: string) {
  const [apps, pools] = await Promise.all([
    fetchBook(endpoints, 'apporders', { app }),
    fetchBook(endpoints, 'workerpoolorders'),
  ]);
  return {
    appMaxPrice: BigInt(apps.orders[0]?.order.appprice ?? '0'),
    workerpoolMaxPrice: BigInt(pools.orders[0]?.order.workerpoolprice ?? '0'),
  };
}

/** Whether bytes read as text (UTF-8 without control characters but newlines and tabs). */
function asText(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for binary content.
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * A run of a task: `start(request)` sends it and follows the task; `view` shows the steps, the
 * phases, the decrypt button and the result files; `busy`/`requesting` for the caller's button.
 */
export function useTaskRun(open: () => Promise<DataProtector>): {
  start: (request: Request) => Promise<void>;
  busy: boolean;
  requesting: boolean;
  view: ReactNode;
} {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [task, setTask] = useState<{ taskId: string; identity: string }>();
  const [phases, setPhases] = useState<Record<string, StepState>>({});
  const [status, setStatus] = useState<string>();
  const [files, setFiles] = useState<Files>();
  const steps = useSteps();

  async function start(request: Request) {
    setBusy(true);
    setFailure(undefined);
    setTask(undefined);
    setFiles(undefined);
    setStatus(undefined);
    setPhases({});
    steps.reset();
    try {
      const dp = await open();
      const requested = await request(dp, steps.update);
      setTask({ taskId: requested.taskId, identity: requested.resultKey.identity });
      setPhases({ ACTIVE: 'running' });
      const end = await dp.waitForTaskCompletion({
        taskId: requested.taskId as `0x${string}`,
        onStatusUpdate: (u) => {
          if (u.payload?.status === 'ACTIVE') setPhases({ ACTIVE: 'done', COMPLETED: 'running' });
        },
      });
      setStatus(end.status);
      setPhases(end.success ? { ACTIVE: 'done', COMPLETED: 'done' } : { ACTIVE: 'done', COMPLETED: 'failed' });
      if (!end.success) setFailure(`the task failed: ${end.reason ?? 'no reason given'}`);
    } catch (e) {
      steps.fail();
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function decrypt() {
    if (!task) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { files: result } = await (await open()).getResultFromCompletedTask({
        taskId: task.taskId as `0x${string}`,
        resultIdentity: task.identity,
      });
      setFiles(result as Files);
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const view = (
    <>
      <Steps label="Request progress" steps={REQUEST_STEPS} states={steps.states} />
      {task && (
        <section className="card" aria-label="Task">
          <h2>
            Task <Short value={task.taskId} label="task" />
          </h2>
          <Steps label="Task phases" steps={TASK_PHASES} states={phases} />
          {status && <p role="status">Task {status}</p>}
          {status === 'COMPLETED' && !files && (
            <button type="button" onClick={() => void decrypt()} disabled={busy}>
              Download and decrypt the result
            </button>
          )}
        </section>
      )}
      {failure && <ErrorNote message={failure} />}
      {files && <ResultFiles files={files} />}
    </>
  );
  return { start, busy, requesting: busy && !task, view };
}

function ResultFiles({ files }: { files: Files }) {
  return (
    <section className="card" aria-label="Result">
      <h2>Result</h2>
      {[...files].map(([name, bytes]) => {
        const text = asText(bytes);
        const href = URL.createObjectURL(
          new Blob([bytes as Uint8Array<ArrayBuffer>], {
            type: name.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream',
          }),
        );
        return (
          <article key={name}>
            <h3>
              {name}{' '}
              <a href={href} download={name.split('/').pop()}>
                Download {name}
              </a>
            </h3>
            {text !== undefined && name.endsWith('.svg') ? (
              <img alt={name} src={href} className="preview" />
            ) : text !== undefined ? (
              <figure aria-label={`Content of ${name}`}>
                <pre>{text}</pre>
              </figure>
            ) : (
              <p>{bytes.length.toLocaleString()} bytes (binary)</p>
            )}
          </article>
        );
      })}
    </section>
  );
}
