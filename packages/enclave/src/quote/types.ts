import type { Collateral, TcbStatus } from '@phala/dcap-qvl';
import type { Hex } from 'viem';

/** Where a quote comes from: the development simulator, an Intel SGX enclave, or an Intel TDX trust domain. */
export type QuotePlatform = 'sim' | 'sgx' | 'tdx';

/**
 * An attestation quote as it travels from the enclave to the SMS. `platform` is a claim: the
 * verifier derives the platform from `bytes` and refuses a quote whose claim differs.
 */
export type Quote = {
  platform: QuotePlatform;
  /** The raw quote: a sim quote (see `parseSimQuote`) or an Intel DCAP quote (v3 SGX, v4/v5 TDX). */
  bytes: Uint8Array;
};

/** A TCB status as Intel's TCB info and QE identity name them. */
export type DcapTcbStatus = TcbStatus;

/** Intel DCAP collateral: TCB info, QE identity, CRLs and their issuer chains, as PCCS serves them. */
export type DcapCollateral = Collateral;

/**
 * Where the verifier finds the collateral of a DCAP quote: a fixed collateral, or a function
 * of the quote (e.g. one that asks a PCCS for the quote's FMSPC).
 */
export type DcapCollateralSource = DcapCollateral | ((quote: Quote) => DcapCollateral | Promise<DcapCollateral>);

/** What {@link verifyQuote} accepts. */
export type QuotePolicy = {
  /**
   * Accept sim quotes (development only). A sim quote proves nothing against the machine's root
   * user: a production SMS sets this to `false`.
   */
  allowSim: boolean;
  /** Ed25519 public keys (32 bytes, hex) of the sim platforms trusted when `allowSim` is set. */
  simPlatformKeys?: readonly Hex[];
  /** Collateral of DCAP quotes; without it every SGX/TDX quote is refused (`UNAVAILABLE`). */
  collateral?: DcapCollateralSource;
  /** Verification time, unix seconds; the collateral must be valid then. Defaults to the clock. */
  now?: number | bigint;
  /** TCB statuses accepted for DCAP quotes; defaults to {@link DEFAULT_ALLOWED_TCB_STATUSES}. */
  allowedTcbStatuses?: readonly DcapTcbStatus[];
};

/**
 * The TCB statuses accepted unless a policy says otherwise: the platform's microcode and SGX/TDX
 * modules are at Intel's latest TCB level; what remains is a BIOS configuration or an enclave
 * software mitigation named by the advisories returned with the result. `OutOfDate*` (known
 * vulnerable, fixed by an update the operator has not applied), `Revoked` and `Unknown` are refused.
 */
export const DEFAULT_ALLOWED_TCB_STATUSES: readonly DcapTcbStatus[] = [
  'UpToDate',
  'SWHardeningNeeded',
  'ConfigurationNeeded',
  'ConfigurationAndSWHardeningNeeded',
];

/** What {@link verifyQuote} returns for every platform; the SMS then calls `checkQuoteBinding`. */
export type VerifiedQuote = {
  ok: true;
  platform: QuotePlatform;
  /**
   * What the hardware measured: the app fingerprint (sim, 32 bytes), MRENCLAVE (SGX, 32 bytes)
   * or MRTD (TDX, 48 bytes); lowercase hex.
   */
  measurement: Hex;
  /** The 64 bytes of report data the enclave put in its quote; lowercase hex. */
  reportData: Hex;
  /** DCAP only: the TCB status of the platform (merged with the quoting enclave's). */
  tcbStatus?: DcapTcbStatus;
  /** DCAP only: Intel security advisories that apply to this platform. */
  advisoryIds?: string[];
  /** Sim only: the Ed25519 public key of the platform that signed. */
  platformKey?: Hex;
};
