import { type FormEvent, useEffect, useRef, useState } from 'react';
import { zeroAddress } from 'viem';
import { type BookEntry, fetchBook, formatToken } from '../api.js';
import { useDashboard } from '../context.js';
import { type DataProtector, openDataProtector } from '../openDataProtector.js';
import { ErrorNote, messageOf, Short, type StepState, Steps, usePolled, useSteps } from '../ui.js';

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

/** Run an app on data I may use, follow the task, then download and decrypt its result here. */
export function RunPage() {
  const { network, session } = useDashboard();
  const me = session?.address;
  const { value: accesses, error } = usePolled(
    async () => (me ? (await fetchBook(network.endpoints, 'datasetorders', { requesterrestrict: me })).orders : []),
    2000,
    [network, me],
  );
  const appName = (address: string) =>
    Object.entries(network.config.apps).find(([, a]) => a.toLowerCase() === address.toLowerCase())?.[0] ?? address;

  const [chosen, setChosen] = useState('');
  const [args, setArgs] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [task, setTask] = useState<{ taskId: string; identity: string }>();
  const [phases, setPhases] = useState<Record<string, StepState>>({});
  const [status, setStatus] = useState<string>();
  const [files, setFiles] = useState<Files>();
  const steps = useSteps();
  const dpRef = useRef<DataProtector>(undefined);
  useEffect(() => () => void dpRef.current?.close(), []);

  const access = accesses?.find((a) => a.orderHash === chosen) ?? accesses?.[0];

  async function run(event: FormEvent) {
    event.preventDefault();
    if (!session || !access) return;
    setBusy(true);
    setFailure(undefined);
    setTask(undefined);
    setFiles(undefined);
    setStatus(undefined);
    setPhases({});
    steps.reset();
    await dpRef.current?.close();
    dpRef.current = undefined;
    try {
      const dp = await openDataProtector(network, session);
      dpRef.current = dp;
      const app = String(access.order.apprestrict) as `0x${string}`;
      const [apps, pools] = await Promise.all([
        fetchBook(network.endpoints, 'apporders', { app }),
        fetchBook(network.endpoints, 'workerpoolorders'),
      ]);
      const appPrice = apps.orders[0]?.order.appprice ?? '0';
      const poolPrice = pools.orders[0]?.order.workerpoolprice ?? '0';
      const requested = await dp.processProtectedData({
        protectedData: String(access.order.dataset) as `0x${string}`,
        app,
        dataMaxPrice: BigInt(access.order.datasetprice ?? '0'),
        appMaxPrice: BigInt(appPrice),
        workerpoolMaxPrice: BigInt(poolPrice),
        ...(args.trim() ? { args: args.trim() } : {}),
        waitForResult: false,
        onStatusUpdate: steps.update,
      });
      setTask({ taskId: requested.taskId, identity: requested.resultKey.identity });
      setPhases({ ACTIVE: 'running' });
      const end = await dp.waitForTaskCompletion({
        taskId: requested.taskId,
        onStatusUpdate: (u) => {
          const phase = u.payload?.status;
          if (phase === 'ACTIVE') setPhases({ ACTIVE: 'done', COMPLETED: 'running' });
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
    if (!task || !dpRef.current) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { files: result } = await dpRef.current.getResultFromCompletedTask({
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

  const describe = (entry: BookEntry) =>
    `${appName(String(entry.order.apprestrict))} on ${String(entry.order.dataset).slice(0, 10)}… ` +
    `(${formatToken(String(entry.order.datasetprice))} per use, ${entry.remaining} left` +
    `${entry.order.requesterrestrict === zeroAddress ? ', open to anyone' : ''})`;

  return (
    <>
      <p className="lead">
        Data the acting account may use, from the market. A run pays the data, the app and the workerpool from your
        escrow; the result is encrypted for a key that never leaves this page.
      </p>
      {error && <ErrorNote message={error} />}
      {accesses && accesses.length === 0 && <p>No access granted to this account yet.</p>}
      {accesses && accesses.length > 0 && (
        <form onSubmit={run} className="card" aria-label="Run an app">
          <label htmlFor="run-access">Access</label>
          <select id="run-access" value={access?.orderHash ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {accesses.map((entry) => (
              <option key={entry.orderHash} value={entry.orderHash}>
                {describe(entry)}
              </option>
            ))}
          </select>
          <label htmlFor="run-args">Arguments</label>
          <input id="run-args" value={args} onChange={(e) => setArgs(e.target.value)} placeholder="optional" />
          <button type="submit" disabled={busy || !session}>
            {busy && !task ? 'Requesting…' : 'Run'}
          </button>
        </form>
      )}
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
