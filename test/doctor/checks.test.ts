import { describe, expect, it } from 'vitest';
import { configCheck, databaseCheck, lintCheck, summarize, toolChecks } from '../../src/doctor/checks.js';

describe('doctor verdicts', () => {
  it('config: missing is a warning pointing at ir init; unreadable is an error', () => {
    expect(configCheck({ path: null })).toMatchObject({ status: 'warning', hint: 'ir init writes one' });
    expect(configCheck({ path: null, problem: 'ir.yaml:3: bad' })).toMatchObject({ status: 'error' });
    expect(configCheck({ path: '/ops/ir.yaml' })).toMatchObject({ status: 'ok', detail: '/ops/ir.yaml' });
  });

  it('database: not yet created is fine; not writable or damaged is an error', () => {
    expect(databaseCheck({ location: '/x.db', exists: false, writable: true }).status).toBe('ok');
    expect(databaseCheck({ location: '/x.db', exists: true, writable: false }).status).toBe('error');
    expect(databaseCheck({ location: '/x.db', exists: true, writable: true, problem: 'damaged' }).status).toBe('error');
    expect(databaseCheck({ location: '/x.db', exists: true, writable: true, schemaVersion: 7 }).detail).toContain(
      'schema version 7',
    );
  });

  it('lint: errors are errors, warnings warnings, nothing to lint a warning', () => {
    const base = { dir: 'runbooks', files: 3, errors: 0, warnings: 0 };
    expect(lintCheck('runbooks', base, 'ir runbook lint').status).toBe('ok');
    expect(lintCheck('runbooks', { ...base, warnings: 2 }, 'ir runbook lint').status).toBe('warning');
    expect(lintCheck('runbooks', { ...base, errors: 1 }, 'ir runbook lint')).toMatchObject({
      status: 'error',
      hint: 'ir runbook lint lists them',
    });
    expect(lintCheck('schedules', { ...base, files: 0 }, 'ir oncall lint').status).toBe('warning');
  });

  it('tools: missing matters only when a runbook calls it; kubectl without a context warns', () => {
    expect(toolChecks({ name: 'aws', usedBy: [] })[0]!.status).toBe('ok');
    expect(toolChecks({ name: 'aws', usedBy: ['ransomware'] })[0]!.status).toBe('warning');
    const k = toolChecks({ name: 'kubectl', version: 'v1.30', usedBy: ['a'], context: null });
    expect(k.map((c) => c.status)).toEqual(['ok', 'warning']);
    expect(toolChecks({ name: 'kubectl', version: 'v1.30', usedBy: ['a'], context: 'prod' })[1]!.detail).toBe('prod');
  });

  it('counts errors and warnings', () => {
    const r = summarize([
      configCheck({ path: null }),
      databaseCheck({ location: '/x', exists: true, writable: false }),
    ]);
    expect([r.errors, r.warnings]).toEqual([1, 1]);
  });
});
