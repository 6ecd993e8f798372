/**
 * errors.js — the errors of the Parley Video client: `ParleyError` and the Twilio-style codes the client
 * uses for failures it detects itself. Gateway and node errors carry their own codes.
 */

/** Twilio-style client error codes used for failures the client detects itself. */
export const ErrorCodes = Object.freeze({
  SIGNALING_CONNECTION_ERROR: 53000,
  SIGNALING_CONNECTION_DISCONNECTED: 53001,
  SIGNALING_CONNECTION_TIMEOUT: 53002,
  MEDIA_CLIENT_LOCAL_DESC_FAILED: 53400,
  MEDIA_CLIENT_REMOTE_DESC_FAILED: 53402,
});

/** An Error carrying a Twilio-style `code` (and, for gateway errors, `status` and `moreInfo`). */
export class ParleyError extends Error {
  constructor(code, message, { status, moreInfo, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ParleyError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (moreInfo !== undefined) this.moreInfo = moreInfo;
  }
}
