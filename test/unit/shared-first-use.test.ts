/** onFirstUse (functions/shared/first-use.ts): one load shared by every call, a failed load tried again. */
import { describe, expect, it, vi } from 'vitest';
import { onFirstUse } from '../../functions/shared/first-use';

describe('onFirstUse', () => {
  it('loads nothing until called, then once for 50 calls at once', async () => {
    const load = vi.fn(async () => ({ loaded: true }));
    const loaded = onFirstUse(load);
    expect(load).not.toHaveBeenCalled();
    const results = await Promise.all(Array.from({ length: 50 }, () => loaded()));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(results).size).toBe(1);
  });

  it('tries a failed load again on the next call instead of failing every later one', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('disk hiccup')).mockResolvedValue('module');
    const loaded = onFirstUse(load);
    await expect(loaded()).rejects.toThrow('disk hiccup');
    await expect(loaded()).resolves.toBe('module');
    await expect(loaded()).resolves.toBe('module');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
