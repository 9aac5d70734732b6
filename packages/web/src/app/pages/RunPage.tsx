import { type FormEvent, useState } from 'react';
import { zeroAddress } from 'viem';
import { type BookEntry, fetchBook, formatToken } from '../api.js';
import { useDashboard } from '../context.js';
import { useDataProtector } from '../openDataProtector.js';
import { marketPrices, useTaskRun } from '../taskRun.js';
import { ErrorNote, usePolled } from '../ui.js';

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
  const taskRun = useTaskRun(useDataProtector(network, session));

  const access = accesses?.find((a) => a.orderHash === chosen) ?? accesses?.[0];

  function run(event: FormEvent) {
    event.preventDefault();
    if (!session || !access) return;
    const app = String(access.order.apprestrict) as `0x${string}`;
    void taskRun.start(async (dp, onStatusUpdate) =>
      dp.processProtectedData({
        protectedData: String(access.order.dataset) as `0x${string}`,
        app,
        dataMaxPrice: BigInt(access.order.datasetprice ?? '0'),
        ...(await marketPrices(network.endpoints, app)),
        ...(args.trim() ? { args: args.trim() } : {}),
        waitForResult: false,
        onStatusUpdate,
      }),
    );
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
          <button type="submit" disabled={taskRun.busy || !session}>
            {taskRun.requesting ? 'Requesting…' : 'Run'}
          </button>
        </form>
      )}
      {taskRun.view}
    </>
  );
}
