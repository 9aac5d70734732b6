export {
  type CheckQuoteBindingErrorType,
  type CheckQuoteBindingParameters,
  checkQuoteBinding,
} from './checkQuoteBinding.js';
export {
  type ComputeReportDataErrorType,
  type ComputeReportDataParameters,
  type ComputeReportDataReturnType,
  computeReportData,
  REPORT_DATA_LENGTH,
} from './computeReportData.js';
export {
  type CreateSimPlatformParameters,
  type CreateSimPlatformReturnType,
  createSimPlatform,
  type SimPlatform,
  type SimQuoteParameters,
} from './createSimPlatform.js';
export * from './errors.js';
export {
  isSimQuote,
  type ParseSimQuoteErrorType,
  type ParseSimQuoteReturnType,
  parseSimQuote,
  SIM_QUOTE_LAYOUT,
  SIM_QUOTE_LENGTH,
  SIM_QUOTE_MAGIC,
} from './parseSimQuote.js';
export * from './types.js';
export { type VerifyQuoteErrorType, type VerifyQuoteReturnType, verifyQuote } from './verifyQuote.js';
