export const ROOT: string;
export const BUNDLES: string;
export const BINS: {
  confide: string;
  storage: string;
  sms: string;
  market: string;
  indexer: string;
  scheduler: string;
  worker: string;
};
export function freshBundle(name: keyof typeof BINS): string | undefined;
