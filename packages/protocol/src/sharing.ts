import { confideHubAbi, dataSharingAbi, datasetRegistryAbi } from './generated/artifacts.js';

type HubError = Extract<(typeof confideHubAbi)[number], { type: 'error' }>;
type RegistryError = Extract<(typeof datasetRegistryAbi)[number], { type: 'error' }>;

/**
 * The sharing contract's ABI plus the hub's errors: its payments and consumptions call the hub,
 * whose custom errors (escrow allowance and balance, matching, owner policy) bubble up unchanged,
 * so a client decodes them by name only with these; likewise the dataset registry's (key rotation).
 */
export const dataSharingClientAbi = [
  ...dataSharingAbi,
  ...confideHubAbi.filter((item): item is HubError => item.type === 'error'),
  ...datasetRegistryAbi.filter(
    (item): item is RegistryError =>
      item.type === 'error' && !dataSharingAbi.some((own) => own.type === 'error' && own.name === item.name),
  ),
] as const;

/** How a consumer was entitled to use protected data, as the contract's `Mode` enum. */
export const SharingMode = { Rental: 0, Subscription: 1 } as const;
