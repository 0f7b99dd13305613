// Start-up of the commands an engineer types while paged (target ≤ 1.5× node -e 0).
import { compareToFloor } from './lib.mjs';

export default function startup() {
  return compareToFloor('start-up (foundation)', [
    { name: 'ir --version', args: ['--version'], target: 1.5 },
    { name: 'ir budget --slo 99.99', args: ['budget', '--slo', '99.99'], target: 1.5 },
    { name: 'ir budget --slo 99.99 --json', args: ['budget', '--slo', '99.99', '--json'], target: 1.5 },
  ]);
}
