/**
 * PII detection for the hashed-id rule of the seed (禁止直接写入手机号/微信号): mainland mobile numbers, with
 * or without +86/0086, spaces or dashes, and WeChat-id shaped handles where an id hash is expected.
 */

const PHONE_EXACT = /^(?:\+?86|0086)?1[3-9]\d{9}$/;
/** a mobile number inside free text: 11 digits starting 1[3-9], optional +86 and separators */
const PHONE_IN_TEXT = /(?<![\d])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![\d])/g;
/** WeChat ids: 6–20 characters, starting with a letter, letters/digits/_/- */
const WECHAT_SHAPED = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/;
const HASH = /^(?:[0-9a-fA-F]{16,128}|[A-Za-z0-9_-]{16,128})$/;

const stripSeparators = (s: string) => s.replace(/[\s\-()]/g, '');

/** a mobile number has 11 digits: fewer in the whole string and neither regex can match (the common case) */
function hasElevenDigits(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits === 11) return true;
  }
  return false;
}

export function isPhoneNumber(value: string): boolean {
  return hasElevenDigits(value) && PHONE_EXACT.test(stripSeparators(value));
}

export function containsPhoneNumber(text: string): boolean {
  if (!hasElevenDigits(text)) return false;
  PHONE_IN_TEXT.lastIndex = 0;
  return PHONE_IN_TEXT.test(text);
}

/** a well-formed pseudonymous hash (16–128 hex or base64url characters) */
export function isIdHash(value: string): boolean {
  return HASH.test(value);
}

/**
 * A WeChat id where a hash is expected: `wxid_…` always; otherwise a WeChat-shaped value too short to be a
 * hash (under 16 characters). A 16–20 character handle is indistinguishable from a short base64url hash
 * and is accepted as one.
 */
export function isWeChatId(value: string): boolean {
  if (/^wxid_[a-z0-9]+$/i.test(value)) return true;
  return WECHAT_SHAPED.test(value) && value.length < 16;
}

/** replaces a raw phone number or WeChat id by its stand-in (`pii_` + 32 hex); see ./pseudonymize.ts */
export type Pseudonymize = (raw: string) => string;

/** the form a value is pseudonymized in: a phone number bare (no +86, no separators), anything else as is */
export function pseudonymInput(raw: string): string {
  return isPhoneNumber(raw) ? stripSeparators(raw).replace(/^(?:\+?86|0086)/, '') : raw;
}

/** replaces every phone number inside free text by its stand-in */
export function redactPhones(text: string, pseudonymize: Pseudonymize): string {
  return text.replace(PHONE_IN_TEXT, (m) => pseudonymize(m));
}
