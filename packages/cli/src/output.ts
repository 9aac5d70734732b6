import type { StatusUpdate } from '../../dataprotector/src/index.js';
import type { Failure } from './errors.js';

/** `--json` and `--quiet`, as every command takes them. */
export type OutputOptions = { json?: boolean; quiet?: boolean };

const serialize = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);

/**
 * Prints the command's result on stdout: with `--json` one JSON document (and nothing else on
 * stdout), else the human lines.
 * @example printResult({ json: true }, { address }, [`protected data ${address}`])
 */
export function printResult(o: OutputOptions, value: unknown, human: string[]): void {
  process.stdout.write(o.json ? `${serialize(value)}\n` : `${human.join('\n')}\n`);
}

/** Prints a failure: the message on stderr, and with `--json` `{ "error": { code, message } }` on stdout. */
export function printFailure(o: OutputOptions, failure: Failure, prefix: string, toStderr = true): void {
  if (toStderr) process.stderr.write(`${prefix}: ${failure.message}\n`);
  if (o.json) process.stdout.write(`${serialize({ error: { code: failure.code, message: failure.message } })}\n`);
}

/** A progress note on stderr (never with `--quiet`). */
export function note(o: OutputOptions, line: string): void {
  if (!o.quiet) process.stderr.write(`${line}\n`);
}

/**
 * A progress display for a DataProtector method's `onStatusUpdate`, on stderr: in a terminal a bar
 * that redraws (with the running time of the current step), elsewhere one line per finished step.
 * @param steps the step titles, in order, to number them
 * @example await dp.protectData({ data, onStatusUpdate: progress(o, PROTECT_STEPS) })
 */
export function progress(o: OutputOptions, steps: readonly string[]) {
  const tty = Boolean(process.stderr.isTTY);
  let timer: NodeJS.Timeout | undefined;
  const bar = (done: number) => {
    const width = 20;
    const filled = Math.round((done / steps.length) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  };
  return (update: StatusUpdate) => {
    if (o.quiet) return;
    const index = Math.max(steps.indexOf(update.title), 0);
    const label = `${bar(update.isDone ? index + 1 : index)} ${index + 1}/${steps.length} ${update.title}`;
    if (timer) clearInterval(timer);
    timer = undefined;
    if (!update.isDone) {
      if (!tty) return;
      const started = Date.now();
      const draw = () => process.stderr.write(`\r\x1b[2K${label} ${((Date.now() - started) / 1000).toFixed(0)} s`);
      draw();
      timer = setInterval(draw, 1000);
      timer.unref();
      return;
    }
    const payload = Object.entries(update.payload ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    process.stderr.write(`${tty ? '\r\x1b[2K' : ''}${label} done${payload ? ` (${payload})` : ''}\n`);
  };
}
