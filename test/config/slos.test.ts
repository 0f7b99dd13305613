import { describe, expect, it } from 'vitest';
import { findSlo } from '../../src/config/slos.js';

describe('findSlo', () => {
  it('takes the exact service name first, else the same name in another case', () => {
    const slos = [{ service: 'api' }, { service: 'API' }, { service: 'payments' }];
    expect(findSlo(slos, 'API')).toBe(slos[1]);
    expect(findSlo(slos, 'Payments')).toBe(slos[2]);
    expect(findSlo(slos, 'auth')).toBeUndefined();
  });
});
