/**
 * The whole lifecycle through the commands: acknowledged and mitigated instants, cancelled false
 * alarms and drills (kept, left out of metrics and budgets unless asked), estimated starts.
 */
import { describe, expect, it } from 'vitest';
import { opsRepo } from '../record/helpers.js';

const config = `slos:\n  - service: api\n    objective: 99.9\n`;

describe('acknowledged and mitigated instants', () => {
  const { ir, json } = opsRepo(config);

  it('ack and status mitigated record their instants; show and metrics report TTA and TTM', async () => {
    await json(0, 'declare', '--title', 'API errors', '--sev', '2', '--service', 'api', '--started-at', '5m ago');
    const acked = await json(3, 'incident', 'ack', 'INC-1');
    expect(acked.acknowledgedAt).toBe('2026-11-26T14:03:00.000Z');
    expect(acked.timeToAcknowledgeMinutes).toBe(3);
    const again = await ir(4, 'incident', 'ack', 'INC-1');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already acknowledged at .*nothing changed/);

    const mitigated = await json(20, 'incident', 'status', 'INC-1', 'mitigated');
    expect(mitigated.status).toBe('mitigated');
    expect(mitigated.open).toBe(true);
    expect(mitigated.mitigatedAt).toBe('2026-11-26T14:20:00.000Z');
    const resolved = await json(40, 'incident', 'resolve', 'INC-1', '--root-cause', 'bad deploy');
    // Resolution keeps the mitigation instant recorded before it.
    expect(resolved.mitigatedAt).toBe('2026-11-26T14:20:00.000Z');
    expect(resolved.timeToMitigateMinutes).toBe(20);

    const m = await json(60, 'metrics', '--since', '1d');
    expect(m.ttaMinutes).toBe(3);
    expect(m.ttaMedianMinutes).toBe(3);
    expect(m.ttaP90Minutes).toBe(3);
    expect(m.ttmMinutes).toBe(20);
    expect(m.mttrP90Minutes).toBe(40);
    expect(m.acknowledgedIncidents).toBe(1);
    expect(m.mitigatedIncidents).toBe(1);
    expect(m.startsEstimated).toBe(0);
    expect(m.mttdMinutes).toBe(5);
    const text = await ir(60, 'metrics', '--since', '1d');
    expect(text.stdout).toMatch(/time to acknowledge\s+1\s+3\.0 min\s+3\.0 min\s+3\.0 min/);
    expect(text.stdout).toMatch(/time to mitigate\s+1\s+20\.0 min/);
  });

  it('resolve --mitigated-at sets it; without one, the resolution is the mitigation; ack before detection is refused', async () => {
    await json(0, 'declare', '--title', 'A', '--sev', '3', '--started-at', '10m ago', '--detected-at', '2m ago');
    const early = await ir(1, 'incident', 'ack', 'INC-1', '--at', '13:55');
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/--at: .* is before INC-1 was detected/);
    const r = await json(30, 'incident', 'resolve', 'INC-1', '--mitigated-at', '14:10');
    expect(r.mitigatedAt).toBe('2026-11-26T14:10:00.000Z');
    const late = await ir(30, 'declare', '--title', 'B', '--sev', '3', '--started-at', '1m ago');
    expect(late.code).toBe(0);
    const bad = await ir(40, 'incident', 'resolve', 'INC-2', '--mitigated-at', '14:45');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mitigated-at: .* is in the future|--mitigated-at: .* is after the resolution time/);
    const plain = await json(50, 'incident', 'resolve', 'INC-2');
    expect(plain.mitigatedAt).toBe('2026-11-26T14:50:00.000Z');
  });
});

describe('cancelled incidents and drills', () => {
  const { ir, json } = opsRepo(config);

  it('are kept, shown, and left out of metrics and budgets unless asked', async () => {
    await json(0, 'declare', '--title', 'Real', '--sev', '2', '--service', 'api', '--started-at', '0m ago');
    await json(1, 'declare', '--title', 'Alarm', '--sev', '2', '--service', 'api', '--started-at', '1m ago');
    const drill = await json(2, 'declare', '--title', 'Game day', '--sev', '2', '--service', 'api', '--drill');
    expect(drill.drill).toBe(true);
    expect(drill.counted).toBe(false);
    const cancelled = await json(10, 'incident', 'status', 'INC-2', 'cancelled');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.open).toBe(false);
    expect(cancelled.counted).toBe(false);
    expect(cancelled.closedAt).toBe('2026-11-26T14:10:00.000Z');
    expect(cancelled.timeline.at(-1).type).toBe('cancelled');
    const twice = await ir(11, 'incident', 'status', 'INC-2', 'cancelled');
    expect(twice.stderr).toMatch(/already cancelled/);
    const moveOn = await ir(11, 'incident', 'status', 'INC-2', 'identified');
    expect(moveOn.code).toBe(2);
    expect(moveOn.stderr).toMatch(/reopen/);
    await json(30, 'incident', 'resolve', 'INC-1');
    await json(30, 'incident', 'resolve', 'INC-3');

    const list = await json(31, 'incident', 'list');
    expect(list.map((i: { id: string }) => i.id).sort()).toEqual(['INC-1', 'INC-2', 'INC-3']);
    const show = await ir(31, 'incident', 'show', 'INC-3');
    expect(show.stdout).toMatch(/DRILL/);
    expect(show.stdout).toMatch(/Counted\s+no: a drill/);

    expect((await json(40, 'metrics', '--since', '1d')).totalIncidents).toBe(1);
    expect((await json(40, 'metrics', '--since', '1d', '--include-drills')).totalIncidents).toBe(2);
    expect((await json(40, 'metrics', '--since', '1d', '--include-drills', '--include-cancelled')).totalIncidents).toBe(
      3,
    );

    const budget = await json(40, 'budget', 'api', '--from-incidents');
    expect(budget.incidents.map((i: { id: string }) => i.id)).toEqual(['INC-1']);
    const all = await json(40, 'budget', 'api', '--from-incidents', '--include-drills', '--include-cancelled');
    expect(all.incidents.map((i: { id: string }) => i.id).sort()).toEqual(['INC-1', 'INC-2', 'INC-3']);
    const misuse = await ir(40, 'budget', 'api', '--include-drills');
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toMatch(/--include-drills only applies with --from-incidents/);

    const reopened = await json(41, 'incident', 'reopen', 'INC-2');
    expect([reopened.status, reopened.counted]).toEqual(['investigating', true]);
  });
});

describe('a start not given', () => {
  const { ir, json } = opsRepo(config);

  it('is the declaration time, marked estimated, left out of MTTD and counted in metrics', async () => {
    const d = await ir(0, 'declare', '--title', 'No start', '--sev', '3');
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/no start given: INC-1 starts at its declaration, marked estimated/);
    await json(5, 'declare', '--title', 'Given', '--sev', '3', '--started-at', '15m ago');
    const shown = await json(6, 'incident', 'show', 'INC-1');
    expect(shown.startEstimated).toBe(true);
    expect((await json(6, 'incident', 'show', 'INC-2')).startEstimated).toBe(false);
    const m = await json(10, 'metrics', '--since', '1d');
    expect(m.totalIncidents).toBe(2);
    expect(m.startsEstimated).toBe(1);
    // Only INC-2 counts: its 15 minutes, not the 0 an estimated start would add.
    expect(m.mttdMinutes).toBe(15);
    const text = await ir(10, 'metrics', '--since', '1d');
    expect(text.stdout).toMatch(/1 incident had no start given/);
    // The list says which start is a guess, beside the same table's other notes.
    const list = (await ir(10, 'incident', 'list')).stdout.split('\n');
    expect(list.find((l) => l.startsWith('INC-1'))).toContain('start estimated');
    expect(list.find((l) => l.startsWith('INC-2'))).not.toContain('start estimated');
  });
});
