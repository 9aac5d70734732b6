import { confideHubAbi, dataSharingAbi } from './generated/artifacts.js';

type HubError = Extract<(typeof confideHubAbi)[number], { type: 'error' }>;

/**
 * The sharing contract's ABI plus the hub's errors: its payments and consumptions call the hub,
 * whose custom errors (escrow allowance and balance, matching, owner policy) bubble up unchanged,
 * so a client decodes them by name only with these.
 */
export const dataSharingClientAbi = [
  ...dataSharingAbi,
  ...confideHubAbi.filter((item): item is HubError => item.type === 'error'),
] as const;

/** How a consumer was entitled to use protected data, as the contract's `Mode` enum. */
export const SharingMode = { Rental: 0, Subscription: 1 } as const;
