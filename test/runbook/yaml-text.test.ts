import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { yamlText } from '../../src/runbook/yaml-text.js';

describe('yamlText', () => {
  it('writes scalars as they are and lists or mappings as JSON, never "[object Object]"', () => {
    expect(yamlText('api')).toBe('api');
    expect(yamlText(15)).toBe('15');
    expect(yamlText(true)).toBe('true');
    expect(yamlText(['a', 'b'])).toBe('["a","b"]');
    expect(yamlText({ team: 'payments' })).toBe('{"team":"payments"}');
  });

  it('a mapping given as a runbook owner is shown as written', () => {
    const rb = parseRunbook('---\nowner: {team: payments}\n---\n# T\n', 'x.md', 'x');
    expect(rb.owner).toBe('{"team":"payments"}');
  });
});
