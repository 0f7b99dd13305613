/**
 * Values known only when a step runs (command output, input, a loop over output, an earlier
 * step's capture) that bash evaluates as arithmetic: evaluation recurses into the value, and
 * `a[$(cmd)0]` in it runs cmd. Such a step is unknown, naming the variable, the line and the safe
 * form; numbers the script computes, and the `[ ]` test builtin (integers only), stay reads.
 */
import { describe, expect, it } from 'vitest';
import { classifySteps } from '../../src/runbook/classify.js';
import { step, useJudge } from '../helpers/judge.js';

const { shell } = useJudge();
const OUT = 'X=$(curl -s http://host/count)';

describe('a value from command output evaluated as arithmetic', () => {
  it.each([
    [`${OUT}; [[ $X -gt 5 ]] && echo big`, '[[ -gt ]]'],
    [`${OUT}; [[ "$X" -eq 0 ]] && echo none`, '[[ -eq ]]'],
    [`${OUT}; if [[ 5 -lt \${X} ]]; then echo big; fi`, '[[ -lt ]]'],
    [`${OUT}; [[ X -ne 0 ]]`, '[[ -ne ]]'],
    [`${OUT}; (( X > 5 )) && echo big`, '(( ))'],
    [`${OUT}; echo $(( X + 1 ))`, '$(( ))'],
    [`${OUT}; echo $(( $X * 2 ))`, '$(( ))'],
    [`${OUT}; echo $[X]`, '$[ ]'],
    [`${OUT}; let "n = X + 1"`, 'let'],
    [`${OUT}; let n=X+1`, 'let'],
    [`${OUT}; a=(1 2); echo "\${a[$X]}"`, 'an array subscript'],
    [`${OUT}; a[$X]=1`, 'an array subscript'],
    [`${OUT}; declare -i n=$X`, 'declare -i n'],
    [`${OUT}; f() { local -i n; n=$X; echo $n; }; f`, 'declare -i n'],
    [`${OUT}; for ((i = 0; i < X; i++)); do echo $i; done`, 'for (( ))'],
    [`${OUT}; s=abcdef; echo "\${s:X:2}"`, '${…:offset:length}'],
  ])('%s is unknown (%s)', (cmd, construct) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain('$X comes from command output (line 1)');
    expect(v.reason).toContain(`and ${construct} on line 1 evaluates it as arithmetic, which runs any $(…) inside it`);
  });

  it('the reason gives the [ ] form of a [[ ]] comparison', () => {
    const v = shell('COUNT=$(curl -s http://host/count)\nif [[ $COUNT -gt 5 ]]; then\n  echo many\nfi');
    expect(v).toMatchObject({ effect: 'unknown', command: '[[ $COUNT -gt 5 ]]' });
    expect(v.reason).toBe(
      '$COUNT comes from command output (line 1) and [[ -gt ]] on line 2 evaluates it as arithmetic, which runs any $(…) inside it; compare with [ "$COUNT" -gt 5 ] instead',
    );
  });

  it('the reason says how to keep only digits elsewhere', () => {
    expect(shell(`${OUT}; (( X > 5 ))`).reason).toContain('keep only its digits in another variable (N=${X//[^0-9]/})');
  });

  it.each([
    ['read -r X < /tmp/count; [[ $X -eq 0 ]]', 'input (read)'],
    ['mapfile -t A < /tmp/f; echo "${B[${A[0]}]}"', 'input (mapfile)'],
    ['for n in $(cat /tmp/f); do (( n > 1 )) && echo "$n"; done', 'a for loop over command output'],
    ['for f in /var/log/*.log; do [[ $f -gt 1 ]]; done', 'a for loop over file names'],
    ['printf -v X %s "$(cat /tmp/f)"; (( X ))', 'printf output'],
  ])('%s: a value read at run time (%s)', (cmd, what) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain(`comes from ${what}`);
  });

  it('a copy of such a value is such a value', () => {
    const v = shell(`${OUT}; Y="n$X"; Z=$Y; (( Z > 1 ))`);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain('$Z copies $Y, which copies $X, which comes from command output (line 1)');
  });

  it.each([
    '[[ $(kubectl get pods --no-headers | wc -l) -gt 5 ]] && echo many',
    'echo $(( $(wc -l < /etc/hosts) + 1 ))',
    '(( $(cat /tmp/n) > 1 ))',
    'declare -i n=$(cat /tmp/n)',
  ])('%s: command output evaluated directly is unknown', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toMatch(/^the output of \$\(.*\) is evaluated as arithmetic by /);
  });

  it('a change still decides over it', () => {
    expect(shell(`${OUT}; [[ $X -gt 5 ]] && kubectl delete pod p`).effect).toBe('changes');
  });
});

describe('arithmetic that stays a read', () => {
  it.each([
    `${OUT}; [ "$X" -gt 5 ] && echo big`,
    `${OUT}; test "$X" -ge 1 && echo some`,
    `${OUT}; [[ $X == 0 ]] && echo none`,
    `${OUT}; [[ -n $X ]] && echo "$X"`,
    `${OUT}; N=\${X//[^0-9]/}; (( N > 5 )) && echo big`,
    `${OUT}; echo "\${#X}" $(( \${#X} + 1 ))`,
    'i=0; while [[ $i -lt 3 ]]; do i=$((i + 1)); done; echo $i',
    'for ((i = 0; i < 3; i++)); do echo $i; done',
    'n=5; let n=n+1; (( n > 5 )) && echo $n',
    'for n in 1 2 3; do (( n > 1 )) && echo $n; done',
    'declare -A seen; k=$(hostname); seen[$k]=1; echo "${seen[$k]}"',
    'a=(x y); echo "${a[@]}" "${a[1]}" "${#a[@]}"',
    // Variables the run passes in: their values are vetted where they are resolved (vars.ts).
    '[[ $COUNT -gt 5 ]] && echo many',
    'echo $(( THRESHOLD * 2 ))',
  ])('%s reads', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'reads' });
  });
});

describe("an earlier step's capture evaluated as arithmetic", () => {
  it("is unknown in a later step, and a read before it's captured", async () => {
    const first = { ...step('kubectl get pods --no-headers | wc -l'), id: 'a', capture: 'N' };
    const later = { ...step('[[ $N -gt 5 ]] && echo many'), id: 'b' };
    const safe = { ...step('[ "$N" -gt 5 ] && echo many'), id: 'c' };
    const before = { ...step('[[ $N -gt 5 ]] && echo many'), id: 'z' };
    await classifySteps([before, first, later, safe], { readOnly: [] });
    expect(before.safety).toMatchObject({ effect: 'reads' });
    expect(first.safety).toMatchObject({ effect: 'reads' });
    expect(later.safety).toMatchObject({ effect: 'unknown' });
    expect(later.safety!.reason).toContain("$N is an earlier step's captured output and [[ -gt ]] on line 1");
    expect(safe.safety).toMatchObject({ effect: 'reads' });
  });
});
