export {
  ConfideError,
  type ConfideErrorDetails,
  type ConfideErrorOptions,
  type ConfideErrorParameters,
} from './ConfideError.js';
