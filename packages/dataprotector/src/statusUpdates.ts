/** What every long DataProtector method reports: each step once started, once done (as iExec). */
export type StatusUpdate<Title extends string = string> = {
  title: Title;
  isDone: boolean;
  payload?: Record<string, string>;
};

/** The callback a method takes. */
export type OnStatusUpdate<Title extends string = string> = (update: StatusUpdate<Title>) => void;

/**
 * Runs `work` as the step `title`: reports it started, then done with the payload `work`
 * returns (strings only: addresses, hashes, CIDs — never a secret value).
 */
export async function step<Title extends string, T>(
  onStatusUpdate: OnStatusUpdate<Title> | undefined,
  title: Title,
  work: () => Promise<T> | T,
  payload?: (result: T) => Record<string, string>,
): Promise<T> {
  onStatusUpdate?.({ title, isDone: false });
  const result = await work();
  const extra = payload?.(result);
  onStatusUpdate?.({ title, isDone: true, ...(extra ? { payload: extra } : {}) });
  return result;
}
