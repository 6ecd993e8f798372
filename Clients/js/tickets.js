/**
 * tickets.js — the gateway side of joining: a join ticket from `POST /media/v1/Tickets` (docs/video.md),
 * and the node's signaling URL it names.
 */

import { ErrorCodes, ParleyError } from './errors.js';

/**
 * Asks the gateway for a join ticket.
 * @param {object} request
 * @param {string} request.gatewayUrl     base URL of the gateway, without a trailing slash
 * @param {string} request.token          access token (sent as `Token`)
 * @param {string} [request.room]         room unique name or `RM…` SID (sent as `Room` when not empty)
 * @param {string} [request.participantSid]  `PA…` SID of the session to resume (sent as `ParticipantSid`)
 * @param {number} request.timeout        ms before the request is aborted
 * @returns {Promise<object>} the ticket body (`signaling_url`, `ticket`, `node_sid`, …)
 * @throws {ParleyError} built from the gateway's Twilio-style error body; `fatal` is set when asking again
 *   will not help (a 4xx other than 408/429: a refused token, an unknown room or participant).
 */
export async function requestTicket({ gatewayUrl, token, room, participantSid, timeout }) {
  const form = new URLSearchParams();
  form.set('Token', token);
  if (room != null && room !== '') form.set('Room', room);
  if (participantSid) form.set('ParticipantSid', participantSid);
  let res;
  try {
    res = await fetch(`${gatewayUrl}/media/v1/Tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      signal: typeof globalThis.AbortSignal?.timeout === 'function' ? AbortSignal.timeout(timeout) : undefined,
    });
  } catch (cause) {
    throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR,
      `Could not reach the gateway: ${cause?.message ?? cause}`, { cause });
  }
  let body = null;
  try {
    body = await res.json();
  } catch { /* not JSON */ }
  if (!res.ok) {
    const err = new ParleyError(
      body?.code ?? res.status,
      body?.message ?? `Ticket request failed with HTTP ${res.status}`,
      { status: body?.status ?? res.status, moreInfo: body?.more_info },
    );
    // A refused token, an unknown room or participant will not change by asking again.
    err.fatal = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw err;
  }
  if (!body || typeof body.signaling_url !== 'string' || typeof body.ticket !== 'string') {
    throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, 'The gateway answered without a signaling_url and ticket');
  }
  return body;
}

/** The node's URL, absolute; an http(s) or relative URL becomes ws(s). */
export function signalingUrl(raw, base) {
  const url = new URL(raw, base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}
