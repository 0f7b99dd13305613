// `ir oncall who` and ten years of `ir oncall show` against the node -e 0 floor
// (targets: `who` ≤ 1.5×, `show` ≤ 2×).
import { compareToFloor } from './lib.mjs';

export default function oncall() {
  return compareToFloor('on-call', [
    { name: 'ir oncall who', args: ['oncall', 'who'], target: 1.5 },
    // Reported, not a target: a typed local time is parsed with @date-fns/tz's TZDate, which starts
    // ICU (~15 ms) — the one part of `who` the zone tables don't cover.
    { name: 'ir oncall who --at 2036-01-01 --json', args: ['oncall', 'who', '--at', '2036-01-01', '--json'] },
    { name: 'ir oncall show --weeks 520', args: ['oncall', 'show', '--weeks', '520'], target: 2 },
  ]);
}
