import { type FormEvent, useState } from 'react';
import type { Address } from 'viem';
import {
  COLLECTIONS,
  escrowBalance,
  formatDuration,
  formatToken,
  graphql,
  indexerCaughtUp,
  PRICES_PER_USE,
  type SubscribableCollection,
} from '../api.js';
import { useDashboard } from '../context.js';
import { tokenAmount } from '../input.js';
import { type DataProtector, useDataProtector } from '../openDataProtector.js';
import { marketPrices, useTaskRun } from '../taskRun.js';
import { ErrorNote, Short, useAction, usePolled, When } from '../ui.js';

/** A protected data offered through DataSharing, with what the acting account may do with it. */
type Offer = {
  address: Address;
  name: string;
  owner: Address;
  collectionId: bigint | null;
  rentalParams: { price: bigint; duration: number } | null;
  salePrice: bigint | null;
  /** What each run on it by right of a rental or subscription pays its owner (the owner policy's price per use). */
  pricePerUse: bigint;
  /** When my running rental or subscription giving its use ends (Unix seconds), if I have one. */
  usableUntil: number | undefined;
};

/** The shop: data for rent or sale, collections by subscription; rent, buy, subscribe, then run. */
export function ShopPage() {
  const { network, session } = useDashboard();
  const me = session?.address;
  const dataProtector = useDataProtector(network, session);
  const { value, error, refresh } = usePolled(
    async () => {
      if (!me) return undefined;
      const dp = await dataProtector();
      const [{ protectedDataInCollection }, { collections }, { rentals }, { collectionSubscriptions }, escrow, prices] =
        await Promise.all([
          dp.getProtectedDataInCollections(),
          graphql<{ collections: SubscribableCollection[] }>(network.endpoints, COLLECTIONS),
          dp.getRentals({ renterAddress: me }),
          dp.getCollectionSubscriptions({ subscriberAddress: me }),
          escrowBalance(network, me),
          graphql<{ protectedDatas: { id: string; policy: { pricePerUse: string } | null }[] }>(
            network.endpoints,
            PRICES_PER_USE,
          ),
        ]);
      const pricePerUse = new Map(
        prices.protectedDatas.map((d) => [d.id.toLowerCase(), BigInt(d.policy?.pricePerUse ?? 0)]),
      );
      const subscribedUntil = new Map<string, number>();
      for (const s of collectionSubscriptions) {
        const key = String(s.collectionId);
        subscribedUntil.set(key, Math.max(subscribedUntil.get(key) ?? 0, s.endDate));
      }
      const rentedUntil = new Map<string, number>();
      for (const r of rentals) {
        const key = r.protectedData.toLowerCase();
        rentedUntil.set(key, Math.max(rentedUntil.get(key) ?? 0, r.endDate));
      }
      const offers: Offer[] = protectedDataInCollection.map((d) => {
        const ends = [rentedUntil.get(d.address.toLowerCase()), subscribedUntil.get(String(d.collectionId))];
        const until = Math.max(0, ...ends.filter((e): e is number => e !== undefined));
        return {
          address: d.address,
          name: d.name,
          owner: d.effectiveOwner,
          collectionId: d.collectionId,
          rentalParams: d.rentalParams,
          salePrice: d.salePrice,
          pricePerUse: pricePerUse.get(d.address.toLowerCase()) ?? 0n,
          usableUntil: until > 0 ? until : undefined,
        };
      });
      return {
        offers: offers.filter((o) => o.rentalParams || o.salePrice !== null),
        usable: offers.filter((o) => o.usableUntil !== undefined),
        collections: collections.filter((c) => c.subscriptionParams),
        subscribedUntil,
        escrow,
      };
    },
    2000,
    [network, me],
  );
  const action = useAction();

  const rent = (offer: Offer, terms: { price: bigint; duration: number }) =>
    void action.run(`rent ${offer.address}`, async () => {
      const dp = await dataProtector();
      const { endDate } = await dp.rentProtectedData({ protectedData: offer.address, ...terms });
      await indexerCaughtUp(network);
      refresh();
      return (
        <>
          Rented {offer.name} for {formatToken(terms.price)}, until <When seconds={endDate} />.
        </>
      );
    });
  const buy = (offer: Offer, price: bigint) =>
    void action.run(`buy ${offer.address}`, async () => {
      const dp = await dataProtector();
      await dp.buyProtectedData({ protectedData: offer.address, price });
      await indexerCaughtUp(network);
      refresh();
      return `Bought ${offer.name} for ${formatToken(price)}: it is yours (see My data).`;
    });
  const subscribe = (collection: SubscribableCollection, terms: { price: string; duration: string }) =>
    void action.run(`subscribe ${collection.id}`, async () => {
      const dp = await dataProtector();
      const { endDate } = await dp.subscribeToCollection({
        collectionId: Number(collection.id),
        price: BigInt(terms.price),
        duration: Number(terms.duration),
      });
      await indexerCaughtUp(network);
      refresh();
      return (
        <>
          Subscribed to collection #{collection.id} for {formatToken(terms.price)}, until <When seconds={endDate} />.
        </>
      );
    });

  return (
    <>
      <p className="lead">
        Protected data offered through DataSharing, from the indexer. Renting, subscribing and buying pay the owner at
        once from your escrow (the page approves exactly the price); a rental or subscription lets you run apps on the
        data, each run paying the data's price per use.
      </p>
      {error && <ErrorNote message={error} />}
      {value && (
        <p>
          Your escrow: <strong>{formatToken(value.escrow)}</strong>
        </p>
      )}
      {action.outcome}
      <section aria-labelledby="offers-title">
        <h2 id="offers-title">For rent or sale</h2>
        {value && value.offers.length === 0 && <p>Nothing offered yet.</p>}
        {value && value.offers.length > 0 && (
          <table aria-labelledby="offers-title">
            <thead>
              <tr>
                <th>Data</th>
                <th>Owner</th>
                <th>Rental</th>
                <th>Sale</th>
                <th>Per use</th>
                <th>Yours to use until</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {value.offers.map((offer) => {
                const rental = offer.rentalParams;
                const sale = offer.salePrice;
                return (
                  <tr key={offer.address}>
                    <td>
                      {offer.name} <Short value={offer.address} label="address" />
                    </td>
                    <td>{offer.owner.toLowerCase() === me?.toLowerCase() ? 'you' : <Short value={offer.owner} />}</td>
                    <td>{rental ? `${formatToken(rental.price)} for ${formatDuration(rental.duration)}` : '—'}</td>
                    <td>{sale !== null ? formatToken(sale) : '—'}</td>
                    <td>{formatToken(offer.pricePerUse)}</td>
                    <td>{offer.usableUntil ? <When seconds={offer.usableUntil} /> : '—'}</td>
                    <td>
                      {rental && (
                        <ActionButton
                          busy={action.busy}
                          id={`rent ${offer.address}`}
                          label={['Rent', 'Renting…']}
                          aria-label={`Rent ${offer.name}`}
                          onClick={() => rent(offer, rental)}
                        />
                      )}{' '}
                      {sale !== null && (
                        <ActionButton
                          busy={action.busy}
                          id={`buy ${offer.address}`}
                          label={['Buy', 'Buying…']}
                          aria-label={`Buy ${offer.name}`}
                          onClick={() => buy(offer, sale)}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="collections-title">
        <h2 id="collections-title">Collections by subscription</h2>
        {value && value.collections.length === 0 && <p>No subscription offered yet.</p>}
        {value && value.collections.length > 0 && (
          <table aria-labelledby="collections-title">
            <thead>
              <tr>
                <th>Collection</th>
                <th>Owner</th>
                <th>Data</th>
                <th>Subscription</th>
                <th>Subscribed until</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {value.collections.map((c) => {
                const terms = c.subscriptionParams;
                const until = value.subscribedUntil.get(c.id);
                return (
                  terms && (
                    <tr key={c.id}>
                      <td>#{c.id}</td>
                      <td>{c.owner.toLowerCase() === me?.toLowerCase() ? 'you' : <Short value={c.owner} />}</td>
                      <td>{c.protectedDatas.map((d) => d.name).join(', ') || 'empty'}</td>
                      <td>
                        {formatToken(terms.price)} for {formatDuration(terms.duration)}
                      </td>
                      <td>{until ? <When seconds={until} /> : '—'}</td>
                      <td>
                        <ActionButton
                          busy={action.busy}
                          id={`subscribe ${c.id}`}
                          label={['Subscribe', 'Subscribing…']}
                          aria-label={`Subscribe to collection #${c.id}`}
                          onClick={() => subscribe(c, terms)}
                        />
                      </td>
                    </tr>
                  )
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {value && value.usable.length > 0 && <ConsumeForm usable={value.usable} open={dataProtector} />}
    </>
  );
}

/** One of the page's actions: disabled while any runs, and saying so on the one that runs (`id`). */
function ActionButton(p: {
  busy: string | undefined;
  id: string;
  label: [idle: string, running: string];
  'aria-label': string;
  onClick: () => void;
}) {
  return (
    <button type="button" disabled={p.busy !== undefined} onClick={p.onClick} aria-label={p['aria-label']}>
      {p.busy === p.id ? p.label[1] : p.label[0]}
    </button>
  );
}

/** Runs an app on data rented or subscribed to (DataProtector's consumeProtectedData), like the Run page. */
function ConsumeForm({ usable, open }: { usable: Offer[]; open: () => Promise<DataProtector> }) {
  const { network } = useDashboard();
  const apps = Object.entries(network.config.apps);
  const [chosen, setChosen] = useState('');
  const [app, setApp] = useState(apps[0]?.[1] ?? '');
  const [maxPrice, setMaxPrice] = useState('');
  const taskRun = useTaskRun(open);
  const data = usable.find((o) => o.address === chosen) ?? usable[0];

  function run(event: FormEvent) {
    event.preventDefault();
    if (!data) return;
    void taskRun.start(async (dp, onStatusUpdate) => {
      // At most the price shown unless another bound is typed: a price raised since is refused.
      const dataMaxPrice = maxPrice.trim() ? tokenAmount(maxPrice, 'The max price per use') : data.pricePerUse;
      return dp.consumeProtectedData({
        protectedData: data.address,
        app: app as Address,
        dataMaxPrice,
        ...(await marketPrices(network.endpoints, app)),
        waitForResult: false,
        onStatusUpdate,
      });
    });
  }

  return (
    <>
      <form onSubmit={run} className="card" aria-label="Run an app on rented data">
        <h2>Run on data you rent or subscribe to</h2>
        <div className="grid">
          <label htmlFor="consume-data">Data</label>
          <select id="consume-data" value={data?.address ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {usable.map((o) => (
              <option key={o.address} value={o.address}>
                {o.name} ({o.address.slice(0, 10)}…)
              </option>
            ))}
          </select>
          <label htmlFor="consume-app">App to run</label>
          <select id="consume-app" value={app} onChange={(e) => setApp(e.target.value)}>
            {apps.map(([name, address]) => (
              <option key={address} value={address}>
                {name}
              </option>
            ))}
          </select>
          <label htmlFor="consume-max-price">Max price per use (CFD)</label>
          <input
            id="consume-max-price"
            value={maxPrice}
            onChange={(e) => setMaxPrice(e.target.value)}
            placeholder={`the price shown: ${data ? formatToken(data.pricePerUse) : '—'}`}
          />
        </div>
        <button type="submit" disabled={taskRun.busy}>
          {taskRun.requesting ? 'Requesting…' : 'Run the app'}
        </button>
      </form>
      {taskRun.view}
    </>
  );
}
