import { BOOKS, type Book, fetchBook, formatToken } from '../api.js';
import { useDashboard } from '../context.js';
import { ErrorNote, Short, usePolled } from '../ui.js';

const TITLES: Record<Book, string> = {
  apporders: 'App orders',
  datasetorders: 'Dataset orders (granted accesses)',
  workerpoolorders: 'Workerpool orders',
  requestorders: 'Request orders',
};

/** What each book's rows show: the asset, its price, and its restriction. */
const COLUMNS: Record<Book, [string, string][]> = {
  apporders: [
    ['app', 'App'],
    ['appprice', 'Price'],
  ],
  datasetorders: [
    ['dataset', 'Dataset'],
    ['datasetprice', 'Price'],
    ['apprestrict', 'App'],
    ['requesterrestrict', 'User'],
  ],
  workerpoolorders: [
    ['workerpool', 'Workerpool'],
    ['workerpoolprice', 'Price'],
    ['category', 'Category'],
  ],
  requestorders: [
    ['app', 'App'],
    ['dataset', 'Dataset'],
    ['requester', 'Requester'],
  ],
};

/** The market: the open orders of the four books, refreshed every 2 s. */
export function MarketPage() {
  const { network } = useDashboard();
  const { value, error } = usePolled(() => Promise.all(BOOKS.map((book) => fetchBook(network.endpoints, book))), 2000, [
    network,
  ]);
  return (
    <>
      <p className="lead">
        The open orders of the market at <code>{network.config.services.market}</code>, best price first.
      </p>
      {error && <ErrorNote message={error} />}
      {BOOKS.map((book, i) => {
        const page = value?.[i];
        return (
          <section key={book} aria-labelledby={`${book}-title`}>
            <h2 id={`${book}-title`}>
              {TITLES[book]} {page && <span className="count">({page.count})</span>}
            </h2>
            {page && page.orders.length === 0 && <p>None open.</p>}
            {page && page.orders.length > 0 && (
              <table aria-labelledby={`${book}-title`}>
                <thead>
                  <tr>
                    {COLUMNS[book].map(([, title]) => (
                      <th key={title}>{title}</th>
                    ))}
                    <th>Remaining</th>
                    <th>Order</th>
                  </tr>
                </thead>
                <tbody>
                  {page.orders.map((entry) => (
                    <tr key={entry.orderHash}>
                      {COLUMNS[book].map(([field, title]) => {
                        const v = String(entry.order[field] ?? '');
                        return (
                          <td key={title}>
                            {title === 'Price' ? formatToken(v) : v.startsWith('0x') ? <Short value={v} /> : v}
                          </td>
                        );
                      })}
                      <td>{entry.remaining}</td>
                      <td>
                        <Short value={entry.orderHash} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}
