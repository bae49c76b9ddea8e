import { afterEach, expect, it } from 'vitest';
import { newIdempotencyKey } from '../../web/ledger/RollbackDialog.tsx';

const original = Object.getOwnPropertyDescriptor(crypto, 'randomUUID');
afterEach(() => {
  if (original) Object.defineProperty(crypto, 'randomUUID', original);
});

it('makes fresh keys the server takes (printable, no spaces, at most 200 characters)', () => {
  const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
  expect(keys.size).toBe(100);
  for (const k of keys) expect(k).toMatch(/^[\x21-\x7e]{1,200}$/);
});

it('still makes them where crypto.randomUUID is missing (a console over plain HTTP on another host)', () => {
  Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
  const a = newIdempotencyKey();
  const b = newIdempotencyKey();
  expect(a).toMatch(/^[0-9a-f]{32}$/);
  expect(b).not.toBe(a);
});
