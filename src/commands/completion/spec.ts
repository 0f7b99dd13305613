/** `ir completion <shell>`: its declaration and the options type derived from it. */
import { SHELLS } from '../../completion/scripts.js';
import { arg, command, runs, type FlagsOf } from '../spec.js';

export const completion = command({
  name: 'completion',
  description:
    'print a shell completion script (bash, zsh or fish) for commands, flags, runbooks, schedules and incidents',
  args: [arg('<shell>', 'bash, zsh or fish', { choices: SHELLS })],
  flags: [],
  examples: [
    'ir completion bash > ~/.local/share/bash-completion/completions/ir',
    'ir completion zsh > ~/.zfunc/_ir',
    'ir completion fish > ~/.config/fish/completions/ir.fish',
  ],
});
export type CompletionFlags = FlagsOf<typeof completion>;

export const completionCommands = runs(completion, () => import('./script.js'));
