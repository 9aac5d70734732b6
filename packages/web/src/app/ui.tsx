// Small shared pieces of the pages.
import { Component, type ReactNode, useCallback, useEffect, useState } from 'react';
import { short } from './api.js';

/** A failure, announced to screen readers. */
export function ErrorNote({ message }: { message: string }) {
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

/** An address or hash, shortened on screen; the whole value in its title and for screen readers. */
export function Short({ value, label }: { value: string; label?: string }) {
  return (
    <code title={value}>
      <span aria-hidden="true">{short(value)}</span>
      <span className="visually-hidden">{label ? `${label} ${value}` : value}</span>
    </code>
  );
}

/** A step of a long operation, as DataProtector's onStatusUpdate reports it. */
export type StepState = 'pending' | 'running' | 'done' | 'failed';

/** The steps of an operation with their state: each line reads e.g. "Encrypt the file: done". */
export function Steps({
  label,
  steps,
  states,
}: {
  label: string;
  steps: readonly (readonly [string, string])[];
  states: Record<string, StepState>;
}) {
  return (
    <ol className="steps" aria-label={label}>
      {steps.map(([title, text]) => {
        const state = states[title] ?? 'pending';
        return (
          <li key={title} className={`step ${state}`} data-step={title}>
            <span>{text}</span>: <span className="state">{state}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Tracks step states from onStatusUpdate; `fail` marks the running step failed. */
export function useSteps() {
  const [states, setStates] = useState<Record<string, StepState>>({});
  const update = useCallback((u: { title: string; isDone: boolean }) => {
    setStates((s) => ({ ...s, [u.title]: u.isDone ? 'done' : 'running' }));
  }, []);
  const fail = useCallback(() => {
    setStates((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v === 'running' ? 'failed' : v])));
  }, []);
  const reset = useCallback(() => setStates({}), []);
  return { states, update, fail, reset };
}

/** Loads `read` now and every `intervalMs` while mounted (the books and the index follow the chain). */
export function usePolled<T>(read: () => Promise<T>, intervalMs: number, deps: unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` is rebuilt by the caller from `deps`.
  useEffect(() => {
    let live = true;
    const load = () =>
      read()
        .then((v) => {
          if (live) {
            setValue(v);
            setError(undefined);
          }
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    void load();
    const timer = setInterval(load, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [...deps, tick, intervalMs]);
  return { value, error, refresh: () => setTick((t) => t + 1) };
}

/** The message of anything thrown, with a DataProtector error's code when it has one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const { code, shortMessage, details } = error as { code?: string; shortMessage?: string; details?: unknown };
    const text = [shortMessage ?? error.message, typeof details === 'string' ? details : undefined]
      .filter(Boolean)
      .join(' ');
    return code ? `${text} (${code})` : text;
  }
  return String(error);
}

/**
 * One action at a time of a panel: `run(name, act)` marks `name` busy, then shows what `act`
 * answers (a status) or its failure (with the error's code).
 */
export function useAction() {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<ReactNode>();
  const run = useCallback(async (name: string, act: () => Promise<ReactNode>) => {
    setBusy(name);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await act());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  }, []);
  const outcome = (
    <>
      {error && <ErrorNote message={error} />}
      {done && <p role="status">{done}</p>}
    </>
  );
  return { busy, run, outcome };
}

/** A Unix time (seconds) in the reader's locale, machine-readable in `dateTime`. */
export function When({ seconds }: { seconds: number | bigint | string }) {
  const date = new Date(Number(seconds) * 1000);
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}

/** A page that throws while rendering says so (with the error's code), instead of a blank page. */
export class PageBoundary extends Component<{ children: ReactNode }, { failure?: string }> {
  override state: { failure?: string } = {};

  static getDerivedStateFromError(error: unknown) {
    return { failure: messageOf(error) };
  }

  override render() {
    return this.state.failure ? <ErrorNote message={`This page failed: ${this.state.failure}`} /> : this.props.children;
  }
}
