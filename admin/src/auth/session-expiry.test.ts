import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** sessionStorage as the browser has it (Node has none). */
class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const load = async () => {
  vi.resetModules();
  return (await import('./session-expiry.ts')).sessionExpiry;
};

describe('a staff session that ends during an action', () => {
  beforeEach(() => {
    vi.stubGlobal('sessionStorage', new MemoryStorage());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('signs out once, tells the sign-in page, and gives the submitted values back to the same form of the same staff member, once', async () => {
    const expiry = await load();
    const signOut = vi.fn();
    expiry.onEnded(signOut);
    expiry.submitting('/temp-plate-batches/create#r1', 'staff-1', { qualificationId: 'q1', quantity: 15 });
    expiry.ended();
    expiry.ended(); // a second 401 of the same moment
    expiry.settled('/temp-plate-batches/create#r1'); // the failed submit ends after the 401
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(expiry.noticePending()).toBe('action');

    expiry.signedOut(); // react-admin's sign-out on the way to the sign-in page keeps the draft
    expiry.signedIn();
    expect(expiry.noticePending()).toBeNull();
    expect(expiry.takeDraft('/temp-plate-batches/create#r2', 'staff-1')).toBeUndefined(); // another form
    expect(expiry.takeDraft('/temp-plate-batches/create#r1', 'staff-1')).toEqual({ qualificationId: 'q1', quantity: 15 });
    expect(expiry.takeDraft('/temp-plate-batches/create#r1', 'staff-1')).toBeUndefined();
  });

  it('keeps nothing for another staff member, nor after a submit that was answered, nor after signing out on purpose', async () => {
    let expiry = await load();
    expiry.submitting('/x#r1', 'staff-1', { note: '资料齐全' });
    expiry.ended();
    expiry.signedIn();
    expect(expiry.takeDraft('/x#r1', 'staff-2')).toBeUndefined();

    expiry = await load();
    expiry.submitting('/x#r1', 'staff-1', { note: '资料齐全' });
    expiry.settled('/x#r1');
    expiry.ended();
    expiry.signedIn();
    expect(expiry.takeDraft('/x#r1', 'staff-1')).toBeUndefined();

    expiry = await load();
    expiry.submitting('/x#r1', 'staff-1', { note: '资料齐全' });
    expiry.ended();
    expiry.signedIn();
    expiry.signedOut();
    expect(expiry.takeDraft('/x#r1', 'staff-1')).toBeUndefined();
  });

  it('drops a draft no form took back within half an hour; says "session ended" without an action only when nothing more is known', async () => {
    vi.useFakeTimers();
    try {
      const expiry = await load();
      expiry.noticeOnly();
      expect(expiry.noticePending()).toBe('idle');
      expiry.submitting('/z#r1', 'staff-1', { note: '迟到的' });
      expiry.ended();
      expiry.noticeOnly(); // the page load after the 401 does not weaken the notice
      expect(expiry.noticePending()).toBe('action');
      expiry.signedIn();
      vi.advanceTimersByTime(31 * 60_000);
      expect(expiry.takeDraft('/z#r1', 'staff-1')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves files out of the draft (they are chosen again)', async () => {
    const expiry = await load();
    expiry.submitting('/y#r1', 'staff-1', { brandModelsText: '大众探岳', sales_permit: { rawFile: new Blob(['%PDF']), title: 'a.pdf' }, list: [new Blob(['x']), 'b'] });
    expiry.ended();
    expiry.signedIn();
    expect(expiry.takeDraft('/y#r1', 'staff-1')).toEqual({ brandModelsText: '大众探岳', list: [null, 'b'] });
  });
});
