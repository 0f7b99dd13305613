/**
 * Commands that look like reads but change, disrupt or block something: each was judged a read
 * (and so ran unattended, in CI) before.
 */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell } = useJudge();

describe('redis-cli: commands that block every other client', () => {
  it.each([
    "redis-cli KEYS 'session:*'",
    "redis-cli -h r -p 6379 --no-auth-warning keys '*'",
    "kubectl exec -n cache redis-0 -- redis-cli keys 'user:*'",
    'redis-cli <<EOF\nPING\nKEYS *\nEOF',
  ])('%s is held back, pointing at --scan', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain('blocking');
    expect(v.reason).toContain('redis-cli --scan --pattern');
  });

  it('MONITOR is held back: it can halve the server’s throughput', () => {
    expect(shell('redis-cli monitor')).toMatchObject({
      effect: 'unknown',
      reason: expect.stringContaining('throughput'),
    });
  });

  it('--replica asks the server for a full copy', () => {
    expect(shell('redis-cli --replica').reason).toContain('full copy');
  });

  it('--rdb writes even with a reporting mode (redis-cli runs it first)', () => {
    expect(shell('redis-cli --bigkeys --rdb dump.rdb').effect).toBe('changes');
  });

  it.each([
    "redis-cli --scan --pattern 'session:*'",
    'redis-cli --bigkeys',
    'redis-cli --memkeys',
    'redis-cli --hotkeys',
    'redis-cli client list',
    'redis-cli hgetall user:1',
    'redis-cli smembers online',
    'redis-cli lrange queue 0 -1',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });

  it('a team with a small keyspace marks KEYS a read with runbooks.read_only_commands: [redis-cli KEYS]', () => {
    const ro = ['redis-cli KEYS'];
    expect(shell("redis-cli -h r -p 6379 keys 'session:*'", ro)).toMatchObject({ effect: 'reads', byConfig: true });
    expect(shell("kubectl exec redis-0 -- redis-cli KEYS '*'", ro).effect).toBe('reads');
    // The entry names that form only: another command, or a write mode, is judged as before.
    expect(shell('redis-cli del keys', ro).effect).toBe('changes');
    expect(shell('redis-cli --pipe keys', ro).effect).toBe('changes');
    expect(shell('redis-cli monitor', ro).effect).toBe('unknown');
  });
});
