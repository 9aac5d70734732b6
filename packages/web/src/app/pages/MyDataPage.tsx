import { type FormEvent, useId, useState } from 'react';
import { getAddress, type Hex, zeroAddress } from 'viem';
import {
  type BookEntry,
  CONSUMPTIONS,
  type ConsumptionRow,
  fetchBook,
  formatDuration,
  formatToken,
  graphql,
  indexerCaughtUp,
  MY_PROTECTED_DATA,
  type ProtectedDataRow,
} from '../api.js';
import { useDashboard } from '../context.js';
import { durationSeconds, tokenAmount, wholeNumber } from '../input.js';
import { type DataProtector, openDataProtector, useDataProtector } from '../openDataProtector.js';
import { ErrorNote, messageOf, Short, Steps, useAction, usePolled, useSteps } from '../ui.js';

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

/** A collection of mine, as the offer panels use it. */
type MyCollection = { collectionId: bigint; subscriptionParams: { price: bigint; duration: number } | null };

/**
 * My protected data (held by me, or by DataSharing in my collections), who may use each (its open
 * dataset orders), grant and revoke; and their offers: rental, sale, subscription to the collection.
 */
export function MyDataPage() {
  const { network, session } = useDashboard();
  const owner = session?.address;
  const dataProtector = useDataProtector(network, session);
  const {
    value: mine,
    error,
    refresh,
  } = usePolled(
    async () => {
      if (!owner) return undefined;
      const dp = await dataProtector();
      const [{ protectedDatas }, { collections }, earnings] = await Promise.all([
        graphql<{ protectedDatas: ProtectedDataRow[] }>(network.endpoints, MY_PROTECTED_DATA, { owner }),
        dp.getCollectionsByOwner({ owner }),
        dp.getEarnings({ account: owner }),
      ]);
      const data = await Promise.all(
        protectedDatas.map(async (data) => {
          const [{ orders }, consumed] = await Promise.all([
            fetchBook(network.endpoints, 'datasetorders', { dataset: data.id }),
            // Runs by right of a rental or subscription: only data in a collection has them.
            data.collection
              ? graphql<{ consumptions: ConsumptionRow[] }>(network.endpoints, CONSUMPTIONS, { dataset: data.id })
              : { consumptions: [] },
          ]);
          return { data, grants: orders, consumptions: consumed.consumptions };
        }),
      );
      return { data, collections: collections as MyCollection[], earnings };
    },
    2000,
    [network, owner],
  );
  const value = mine?.data;
  // Grants are dataset orders signed by the registry's holder: only for data I hold myself.
  const held = value?.map((v) => v.data).filter((d) => d.owner.toLowerCase() === owner?.toLowerCase()) ?? [];
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
      {mine && <EarningsCard earnings={mine.earnings} />}
      {value && value.length === 0 && <p>No protected data yet: protect a file first.</p>}
      {value?.map(({ data, grants, consumptions }) => (
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
          <OfferPanel
            data={data}
            consumptions={consumptions}
            collections={mine?.collections ?? []}
            open={dataProtector}
            onChanged={refresh}
          />
        </section>
      ))}
      {held.length > 0 && <GrantForm data={held} onGranted={refresh} />}
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
      const numberOfAccess = wholeNumber(uses, 1, 'The number of uses');
      const pricePerAccess = tokenAmount(price, 'The price per use');
      dp = await openDataProtector(network, session);
      await dp.grantAccess({
        protectedData: (dataset || data[0]?.id) as `0x${string}`,
        authorizedApp: app as `0x${string}`,
        ...(user.trim() ? { authorizedUser: user.trim() as `0x${string}` } : {}),
        numberOfAccess,
        pricePerAccess,
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

type Earnings = { rentals: bigint; subscriptions: bigint; sales: bigint; consumptions: bigint; total: bigint };

/** What the acting account earned through DataSharing, from the indexer. */
function EarningsCard({ earnings }: { earnings: Earnings }) {
  return (
    <section className="card" aria-label="Earnings">
      <h2>Earnings</h2>
      <ul aria-label="Earnings by kind" className="terms">
        <li>Rentals: {formatToken(earnings.rentals)}</li>
        <li>Subscriptions: {formatToken(earnings.subscriptions)}</li>
        <li>Sales: {formatToken(earnings.sales)}</li>
        <li>Uses (settled): {formatToken(earnings.consumptions)}</li>
        <li>Total: {formatToken(earnings.total)}</li>
      </ul>
    </section>
  );
}

const NEW_COLLECTION = 'new';

/** Whether the task of a consumption has ended, so that it can be settled. */
const ended = (c: ConsumptionRow) => c.deal?.tasks.some((t) => t.status === 'COMPLETED' || t.status === 'FAILED');

/**
 * The offers of one protected data: its collection, rental, sale, the collection's subscription,
 * and the price per use (its owner policy) paid by each run of a renter or subscriber, settled here.
 */
function OfferPanel({
  data,
  consumptions,
  collections,
  open,
  onChanged,
}: {
  data: ProtectedDataRow;
  consumptions: ConsumptionRow[];
  collections: MyCollection[];
  open: () => Promise<DataProtector>;
  onChanged: () => void;
}) {
  const { network } = useDashboard();
  const id = useId();
  const action = useAction();
  const [target, setTarget] = useState('');
  const [rentPrice, setRentPrice] = useState('5');
  const [rentHours, setRentHours] = useState('1');
  const [salePrice, setSalePrice] = useState('100');
  const [subPrice, setSubPrice] = useState('20');
  const [subDays, setSubDays] = useState('30');
  const [usePrice, setUsePrice] = useState('1');
  const protectedData = data.id as `0x${string}`;
  const collectionId = data.collection ? Number(data.collection.id) : undefined;
  const collection = collections.find((c) => Number(c.collectionId) === collectionId);
  const chosen = target || (collections[0] ? String(collections[0].collectionId) : NEW_COLLECTION);

  const act = (name: string, run: (dp: DataProtector) => Promise<string>) =>
    void action.run(name, async () => {
      const done = await run(await open());
      // The terms and earnings shown are the indexer's: read them once it has the change.
      await indexerCaughtUp(network);
      onChanged();
      return done;
    });

  if (collectionId === undefined) {
    return (
      <form
        className="offer"
        aria-label={`Offer ${data.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          act('collect', async (dp) => {
            const into = chosen === NEW_COLLECTION ? (await dp.createCollection()).collectionId : Number(chosen);
            await dp.addToCollection({ protectedData, collectionId: into });
            return `Added to collection #${into}.`;
          });
        }}
      >
        <h3>Offer</h3>
        <p>To rent it out, sell it or offer it by subscription, put it in one of your collections first.</p>
        <label htmlFor={`${id}-collection`}>Collection</label>
        <select id={`${id}-collection`} value={chosen} onChange={(e) => setTarget(e.target.value)}>
          {collections.map((c) => (
            <option key={String(c.collectionId)} value={String(c.collectionId)}>
              #{String(c.collectionId)}
            </option>
          ))}
          <option value={NEW_COLLECTION}>a new collection</option>
        </select>
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy ? 'Adding…' : 'Add to the collection'}
        </button>
        {action.outcome}
      </form>
    );
  }

  const rental = data.rentalParams;
  const subscription = collection?.subscriptionParams;
  const unsettled = consumptions.filter((c) => !c.settled);
  const settleable = unsettled.filter(ended);
  const settle = () =>
    act('settle', async (dp) => {
      let paid = 0n;
      for (const c of settleable) paid += (await dp.settleConsumption({ dealId: c.dealId as Hex })).amount;
      const uses = settleable.length === 1 ? 'use' : 'uses';
      return `Settled ${settleable.length} ${uses}: ${formatToken(paid)} paid to you.`;
    });
  return (
    <fieldset className="offer" aria-label={`Offer ${data.name}`}>
      <h3>Offer</h3>
      <ul aria-label={`Terms of ${data.name}`} className="terms">
        <li>Collection: #{collectionId}</li>
        <li>
          Rental: {rental ? `${formatToken(rental.price)} for ${formatDuration(rental.duration)}` : 'not for rent'}
        </li>
        <li>Sale: {data.saleParams ? formatToken(data.saleParams.price) : 'not for sale'}</li>
        <li>Price per use: {formatToken(data.policy?.pricePerUse ?? 0n)}</li>
        <li>
          Subscription to the collection:{' '}
          {subscription ? `${formatToken(subscription.price)} for ${formatDuration(subscription.duration)}` : 'none'}
        </li>
      </ul>
      <form
        className="grid"
        aria-label={`Rent out ${data.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          act('rent', async (dp) => {
            const price = tokenAmount(rentPrice, 'The rental price');
            const duration = durationSeconds(rentHours, 3600, 'hours', 'The rental duration');
            await dp.setProtectedDataToRenting({ protectedData, price, duration });
            return `For rent: ${formatToken(price)} for ${formatDuration(duration)}.`;
          });
        }}
      >
        <label htmlFor={`${id}-rent-price`}>Rental price (CFD)</label>
        <input id={`${id}-rent-price`} value={rentPrice} onChange={(e) => setRentPrice(e.target.value)} />
        <label htmlFor={`${id}-rent-hours`}>Rental duration (hours)</label>
        <input id={`${id}-rent-hours`} value={rentHours} onChange={(e) => setRentHours(e.target.value)} />
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy === 'rent' ? 'Offering…' : 'Offer for rent'}
        </button>
      </form>
      <form
        className="grid"
        aria-label={`Sell ${data.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          act('sell', async (dp) => {
            const price = tokenAmount(salePrice, 'The sale price');
            await dp.setProtectedDataForSale({ protectedData, price });
            return `For sale: ${formatToken(price)}.`;
          });
        }}
      >
        <label htmlFor={`${id}-sale-price`}>Sale price (CFD)</label>
        <input id={`${id}-sale-price`} value={salePrice} onChange={(e) => setSalePrice(e.target.value)} />
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy === 'sell' ? 'Offering…' : 'Offer for sale'}
        </button>
      </form>
      <form
        className="grid"
        aria-label={`Subscriptions to collection #${collectionId}`}
        onSubmit={(e) => {
          e.preventDefault();
          act('subscribe', async (dp) => {
            const price = tokenAmount(subPrice, 'The subscription price');
            const duration = durationSeconds(subDays, 86_400, 'days', 'The subscription duration');
            await dp.setSubscriptionParams({ collectionId, price, duration });
            return `Subscriptions to collection #${collectionId}: ${formatToken(price)} for ${formatDuration(duration)}.`;
          });
        }}
      >
        <label htmlFor={`${id}-sub-price`}>Subscription price (CFD)</label>
        <input id={`${id}-sub-price`} value={subPrice} onChange={(e) => setSubPrice(e.target.value)} />
        <label htmlFor={`${id}-sub-days`}>Subscription duration (days)</label>
        <input id={`${id}-sub-days`} value={subDays} onChange={(e) => setSubDays(e.target.value)} />
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy === 'subscribe' ? 'Offering…' : 'Offer subscriptions'}
        </button>
      </form>
      <form
        className="grid"
        aria-label={`Price per use of ${data.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          act('policy', async (dp) => {
            const pricePerUse = tokenAmount(usePrice, 'The price per use');
            // setPolicy sets every term: the others are kept as they are.
            const { restrictApps, restrictUsers, maxUses, expiry, maxResultSize } = await dp.getPolicy({
              protectedData,
            });
            await dp.setPolicy({
              protectedData,
              restrictApps,
              restrictUsers,
              maxUses,
              expiry,
              maxResultSize,
              pricePerUse,
            });
            return `Price per use: ${formatToken(pricePerUse)}.`;
          });
        }}
      >
        <label htmlFor={`${id}-use-price`}>Price per use (CFD)</label>
        <input id={`${id}-use-price`} value={usePrice} onChange={(e) => setUsePrice(e.target.value)} />
        <button type="submit" disabled={action.busy !== undefined}>
          {action.busy === 'policy' ? 'Setting…' : 'Set the price per use'}
        </button>
      </form>
      {consumptions.length > 0 && (
        <p>
          Runs by renters and subscribers: {consumptions.length}
          {unsettled.length > 0 &&
            `, ${unsettled.length} to settle (${formatToken(unsettled.reduce((sum, c) => sum + BigInt(c.price), 0n))})`}
          .{' '}
          {unsettled.length > 0 && (
            <button
              type="button"
              onClick={settle}
              disabled={action.busy !== undefined || settleable.length === 0}
              aria-label={`Settle the uses of ${data.name}`}
              title={settleable.length === 0 ? 'Their tasks have not ended yet' : undefined}
            >
              {action.busy === 'settle' ? 'Settling…' : 'Settle'}
            </button>
          )}
        </p>
      )}
      {action.outcome}
    </fieldset>
  );
}
