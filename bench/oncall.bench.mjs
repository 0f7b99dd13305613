// `ir oncall who` and ten years of `ir oncall show` against the node -e 0 floor (issue 5 targets).
import { compareToFloor } from './lib.mjs';

export default function oncall() {
  return compareToFloor('on-call (issue 5)', [
    { name: 'ir oncall who', args: ['oncall', 'who'], target: 1.5 },
    { name: 'ir oncall who --at 2036-01-01 --json', args: ['oncall', 'who', '--at', '2036-01-01', '--json'], target: 1.5 },
    { name: 'ir oncall show --weeks 520', args: ['oncall', 'show', '--weeks', '520'], target: 2 },
  ]);
}
