import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, isAssetRegistered } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkDeployedApp}. */
export type CheckDeployedAppParameters = { app: Address };

/** Whether a app is registered at that address. */
export type CheckDeployedAppReturnType = boolean;

/** Errors of {@link checkDeployedApp}. */
export type CheckDeployedAppErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = assetAddressSchema('app');

/**
 * Whether a app is registered at an address (iExec's `checkDeployedApp`).
 * @param client a Confide client
 * @param parameters `{ app }`
 * @returns `true` when registered
 * @example if (!(await checkDeployedApp(client, { app: '0x…' }))) console.log('not deployed')
 */
export async function checkDeployedApp(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: CheckDeployedAppParameters,
): Promise<CheckDeployedAppReturnType> {
  const p = parseParameters('checkDeployedApp', schema, parameters) as { app: Address };
  return isAssetRegistered(client, 'app', p.app);
}
