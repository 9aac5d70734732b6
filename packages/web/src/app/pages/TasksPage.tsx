import { graphql, TASKS, type TaskRow } from '../api.js';
import { useDashboard } from '../context.js';
import { ErrorNote, Short, usePolled } from '../ui.js';

const when = (seconds: string) => new Date(Number(seconds) * 1000).toLocaleTimeString();

/** The tasks the indexer knows, most recently initialized first, with their phases. */
export function TasksPage() {
  const { network } = useDashboard();
  const { value, error } = usePolled(() => graphql<{ tasks: TaskRow[] }>(network.endpoints, TASKS), 2000, [network]);
  const appName = (address: string) =>
    Object.entries(network.config.apps).find(([, a]) => a.toLowerCase() === address.toLowerCase())?.[0];
  return (
    <>
      <p className="lead">
        Tasks as the indexer at <code>{network.config.services.indexer}</code> follows them on chain.
      </p>
      {error && <ErrorNote message={error} />}
      {value && value.tasks.length === 0 && <p>No task yet.</p>}
      {value && value.tasks.length > 0 && (
        <table aria-label="Tasks">
          <thead>
            <tr>
              <th>Task</th>
              <th>Status</th>
              <th>App</th>
              <th>Dataset</th>
              <th>Requester</th>
              <th>Phases</th>
            </tr>
          </thead>
          <tbody>
            {value.tasks.map((task) => (
              <tr key={task.id}>
                <td>
                  <Short value={task.id} />
                </td>
                <td>
                  <span className={`badge ${task.status.toLowerCase()}`}>{task.status}</span>
                  {task.failureReason && ` (${task.failureReason})`}
                </td>
                <td>{appName(task.deal.app) ?? <Short value={task.deal.app} />}</td>
                <td>{task.deal.dataset ? <Short value={task.deal.dataset} /> : '—'}</td>
                <td>
                  <Short value={task.deal.requester} />
                </td>
                <td>{task.history.map((h) => `${h.status} ${when(h.timestamp)}`).join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
