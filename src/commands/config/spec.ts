/** `ir config`: its declaration and the options type derived from it. */
import { bool, command, runs, type FlagsOf } from '../spec.js';

export const config = command({
  name: 'config',
  description: 'show where ir reads configuration and keeps state, and the effective settings',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir config', 'IR_CONFIG=ops/ir.yaml ir config --json'],
});
export type ConfigFlags = FlagsOf<typeof config>;

export const configCommands = runs(config, () => import('./show.js'));
