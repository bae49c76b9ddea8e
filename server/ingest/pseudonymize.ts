import { createHmac } from 'node:crypto';
import { type Pseudonymize, pseudonymInput } from './pii.ts';

/**
 * The server's pseudonymizer, kept apart from the pure detection in ./pii.ts because it needs node:crypto:
 * validation (./validate.ts) takes a `Pseudonymize` and stays importable in the browser.
 */

/** keyed-HMAC stand-in: the same phone number always maps to the same stand-in, which never reveals it */
export function makePseudonymizer(key: string): Pseudonymize {
  return (raw: string) =>
    `pii_${createHmac('sha256', key).update(pseudonymInput(raw)).digest('hex').slice(0, 32)}`;
}

/** a reviewer's pseudonymous id (approver_id in license_approved): a keyed hash of the username */
export function makeReviewerPseudonym(key: string): (username: string) => string {
  return (username: string) =>
    createHmac('sha256', key).update(`reviewer:${username}`).digest('hex').slice(0, 32);
}
