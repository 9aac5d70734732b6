import { type FormEvent, useState } from 'react';
import { getAddress, parseUnits, zeroAddress } from 'viem';
import { type BookEntry, fetchBook, formatToken, graphql, MY_PROTECTED_DATA, type ProtectedDataRow } from '../api.js';
import { useDashboard } from '../context.js';
import { type DataProtector, openDataProtector } from '../openDataProtector.js';
import { ErrorNote, messageOf, Short, Steps, usePolled, useSteps } from '../ui.js';

const GRANT_STEPS = [
  ['CREATE_DATASET_ORDER', 'Sign the access (a dataset order)'],
  ['PUBLISH_DATASET_ORDER', 'Publish it on the market'],
] as const;

/** The access a dataset order gives, in the shape DataProtector's revoke takes. */
const accessOf = (entry: BookEntry) => ({
  dataset: entry.order.dataset as `0x${string}`,
  datasetprice: entry.order.datasetprice as string,
  volume: entry.order.volume as string,
  tag: entry.order.tag as `0x${string}`,
  apprestrict: entry.order.apprestrict as `0x${string}`,
  workerpoolrestrict: entry.order.workerpoolrestrict as `0x${string}`,
  requesterrestrict: entry.order.requesterrestrict as `0x${string}`,
  salt: entry.order.salt as `0x${string}`,
  sign: entry.order.sign as `0x${string}`,
  remainingAccess: Number(entry.remaining),
});

/** My protected data, who may use each (its open dataset orders), grant and revoke. */
export function MyDataPage() {
  const { network, session } = useDashboard();
  const owner = session?.address;
  const { value, error, refresh } = usePolled(
    async () => {
      if (!owner) return [];
      const { protectedDatas } = await graphql<{ protectedDatas: ProtectedDataRow[] }>(
        network.endpoints,
        MY_PROTECTED_DATA,
        { owner },
      );
      return Promise.all(
        protectedDatas.map(async (data) => ({
          data,
          grants: (await fetchBook(network.endpoints, 'datasetorders', { dataset: data.id })).orders,
        })),
      );
    },
    2000,
    [network, owner],
  );
  const appName = (address: string) =>
    Object.entries(network.config.apps).find(([, a]) => a.toLowerCase() === address.toLowerCase())?.[0];
  const [revoking, setRevoking] = useState<string>();
  const [revokeError, setRevokeError] = useState<string>();

  async function revoke(entry: BookEntry) {
    if (!session) return;
    setRevoking(entry.orderHash);
    setRevokeError(undefined);
    let dp: DataProtector | undefined;
    try {
      dp = await openDataProtector(network, session);
      await dp.revokeOneAccess(accessOf(entry));
      refresh();
    } catch (e) {
      setRevokeError(messageOf(e));
    } finally {
      await dp?.close();
      setRevoking(undefined);
    }
  }

  return (
    <>
      <p className="lead">Protected data owned by the acting account, from the indexer; accesses from the market.</p>
      {error && <ErrorNote message={error} />}
      {revokeError && <ErrorNote message={revokeError} />}
      {value && value.length === 0 && <p>No protected data yet: protect a file first.</p>}
      {value?.map(({ data, grants }) => (
        <section key={data.id} className="card" aria-label={`Protected data ${data.name}`}>
          <h2>{data.name}</h2>
          <p>
            <Short value={data.id} label="address" /> · {data.schema.map((s) => `${s.path}: ${s.type}`).join(', ')} ·{' '}
            created {new Date(Number(data.creationTimestamp) * 1000).toLocaleString()}
          </p>
          {grants.length === 0 ? (
            <p>No access granted.</p>
          ) : (
            <table aria-label={`Accesses to ${data.name}`}>
              <thead>
                <tr>
                  <th>App</th>
                  <th>User</th>
                  <th>Price per use</th>
                  <th>Uses left</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {grants.map((entry) => {
                  const app = String(entry.order.apprestrict);
                  const user = getAddress(String(entry.order.requesterrestrict));
                  return (
                    <tr key={entry.orderHash}>
                      <td>{appName(app) ?? <Short value={app} />}</td>
                      <td>{user === zeroAddress ? 'anyone' : <Short value={user} />}</td>
                      <td>{formatToken(String(entry.order.datasetprice))}</td>
                      <td>{entry.remaining}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() => void revoke(entry)}
                          disabled={revoking !== undefined}
                          aria-label={`Revoke ${appName(app) ?? app} for ${user === zeroAddress ? 'anyone' : user}`}
                        >
                          {revoking === entry.orderHash ? 'Revoking…' : 'Revoke'}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {value && value.length > 0 && <GrantForm data={value.map((v) => v.data)} onGranted={refresh} />}
    </>
  );
}

function GrantForm({ data, onGranted }: { data: ProtectedDataRow[]; onGranted: () => void }) {
  const { network, session } = useDashboard();
  const apps = Object.entries(network.config.apps);
  const requester = network.config.demoAccounts.find((a) => a.role === 'requester')?.address ?? '';
  const [dataset, setDataset] = useState(data[0]?.id ?? '');
  const [app, setApp] = useState(apps[0]?.[1] ?? '');
  const [user, setUser] = useState(requester);
  const [uses, setUses] = useState('3');
  const [price, setPrice] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [granted, setGranted] = useState(false);
  const steps = useSteps();

  async function grant(event: FormEvent) {
    event.preventDefault();
    if (!session) return;
    setBusy(true);
    setError(undefined);
    setGranted(false);
    steps.reset();
    let dp: DataProtector | undefined;
    try {
      dp = await openDataProtector(network, session);
      await dp.grantAccess({
        protectedData: (dataset || data[0]?.id) as `0x${string}`,
        authorizedApp: app as `0x${string}`,
        ...(user.trim() ? { authorizedUser: user.trim() as `0x${string}` } : {}),
        numberOfAccess: Number(uses),
        pricePerAccess: parseUnits(price || '0', 9),
        onStatusUpdate: steps.update,
      });
      setGranted(true);
      onGranted();
    } catch (e) {
      steps.fail();
      setError(messageOf(e));
    } finally {
      await dp?.close();
      setBusy(false);
    }
  }

  return (
    <form onSubmit={grant} className="card" aria-label="Grant access">
      <h2>Grant access</h2>
      <div className="grid">
        <label htmlFor="grant-data">Protected data</label>
        <select id="grant-data" value={dataset} onChange={(e) => setDataset(e.target.value)}>
          {data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.id.slice(0, 10)}…)
            </option>
          ))}
        </select>
        <label htmlFor="grant-app">App</label>
        <select id="grant-app" value={app} onChange={(e) => setApp(e.target.value)}>
          {apps.map(([name, address]) => (
            <option key={address} value={address}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor="grant-user">Authorized user (empty: anyone)</label>
        <input id="grant-user" value={user} onChange={(e) => setUser(e.target.value)} placeholder="0x…" />
        <label htmlFor="grant-uses">Number of uses</label>
        <input id="grant-uses" type="number" min="1" value={uses} onChange={(e) => setUses(e.target.value)} />
        <label htmlFor="grant-price">Price per use (CFD)</label>
        <input
          id="grant-price"
          type="number"
          min="0"
          step="any"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
      </div>
      <button type="submit" disabled={busy || !session}>
        {busy ? 'Granting…' : 'Grant access'}
      </button>
      <Steps label="Grant progress" steps={GRANT_STEPS} states={steps.states} />
      {error && <ErrorNote message={error} />}
      {granted && <p role="status">Access granted.</p>}
    </form>
  );
}
