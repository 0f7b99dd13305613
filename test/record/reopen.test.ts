/** `ir incident reopen` clears the resolution, root cause and mitigation included. */
import { describe, expect, it } from 'vitest';
import { opsRepo } from './helpers.js';

describe('reopen', () => {
  const { json } = opsRepo();

  it('clears root cause and mitigation, so the next resolve does not re-announce them', async () => {
    await json(0, 'declare', '--title', 'Checkout errors', '--sev', '3');
    await json(5, 'incident', 'resolve', 'INC-1', '--root-cause', 'bad config', '--mitigation', 'rolled back');
    const reopened = await json(6, 'incident', 'reopen', 'INC-1');
    expect(reopened).toMatchObject({ status: 'investigating', rootCause: null, mitigation: null, resolvedAt: null });
    // The timeline keeps what was said at the first resolution.
    expect(reopened.timeline.some((e: { text: string }) => e.text.includes('Root cause: bad config'))).toBe(true);
    const again = await json(9, 'incident', 'resolve', 'INC-1');
    expect(again.rootCause).toBeNull();
    expect(again.notification).not.toContain('bad config');
  });
});
