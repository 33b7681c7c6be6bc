import { describe, expect, it } from 'vitest';
import { fromOwnOrigin, jsonContentTypeRefusal } from './csrf';

const APP = 'https://app.example.com';
const post = (headers: Record<string, string>) =>
  new Request(`${APP}/api/stripe/checkout-session`, { method: 'POST', headers });

describe('fromOwnOrigin', () => {
  it('accepts the app’s own pages', () => {
    expect(fromOwnOrigin(post({ origin: APP }), APP)).toBe(true);
    expect(fromOwnOrigin(post({ origin: APP, 'sec-fetch-site': 'same-origin' }), APP)).toBe(true);
    expect(fromOwnOrigin(post({ 'sec-fetch-site': 'same-origin' }), APP)).toBe(true);
  });

  it('refuses another site, a sibling subdomain, a null origin and a request that says nothing', () => {
    expect(fromOwnOrigin(post({ origin: 'https://evil.example' }), APP)).toBe(false);
    expect(
      fromOwnOrigin(post({ origin: 'https://blog.example.com', 'sec-fetch-site': 'same-site' }), APP),
    ).toBe(false);
    expect(fromOwnOrigin(post({ origin: APP, 'sec-fetch-site': 'cross-site' }), APP)).toBe(false);
    expect(fromOwnOrigin(post({ origin: 'null' }), APP)).toBe(false);
    expect(fromOwnOrigin(post({}), APP)).toBe(false);
    expect(fromOwnOrigin(post({ origin: 'http://app.example.com' }), APP)).toBe(false);
  });

  it('lets safe methods through', () => {
    const get = new Request(`${APP}/api/credits/balance`, { headers: { origin: 'https://evil.example' } });
    expect(fromOwnOrigin(get, APP)).toBe(true);
  });
});

describe('jsonContentTypeRefusal', () => {
  it('answers 415 to what a cross-site form can send, and lets JSON through', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ]) {
      const response = jsonContentTypeRefusal(post(type ? { 'content-type': type } : {}));
      expect(response?.status, type).toBe(415);
      expect(await response?.json()).toEqual({
        error: 'Unsupported Media Type: send the body as application/json.',
      });
    }
    expect(jsonContentTypeRefusal(post({ 'content-type': 'application/json; charset=utf-8' }))).toBeNull();
    expect(jsonContentTypeRefusal(post({ 'content-type': 'application/merge-patch+json' }))).toBeNull();
  });
});
