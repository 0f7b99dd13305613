/**
 * The completion scripts `ir completion <shell>` prints. Each is a thin hook: on every Tab it asks
 * `ir __complete -- <words>` what fits (see ./offer.ts, which reads the command declarations), so
 * the scripts never need regenerating when commands change. When ir offers nothing, the shell
 * completes file names.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return `# ir completion for bash. Load it with:  source <(ir completion bash)
# or save it as ~/.local/share/bash-completion/completions/ir
_ir_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(ir __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _ir_complete ir
`;
    case 'zsh':
      return `#compdef ir
# ir completion for zsh. Load it with:  source <(ir completion zsh)
# or save it as _ir in a directory on $fpath
_ir() {
  local -a candidates
  candidates=("\${(@f)$(ir __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates} )) && [[ -n "\${candidates[1]}" ]]; then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef _ir ir; fi
`;
    case 'fish':
      return `# ir completion for fish. Load it with:  ir completion fish | source
# or save it as ~/.config/fish/completions/ir.fish
function __ir_complete
    set -l tokens (commandline -opc) (commandline -ct)
    set -l candidates (ir __complete -- $tokens[2..-1] 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c ir -f -a '(__ir_complete)'
`;
  }
}
