/** `ir postmortem lint <file.md>`: blame and hindsight language, unowned/undated action items. */
import { readFileSync } from 'node:fs';
import { readInputText } from '../../files.js';
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { lintPostmortem, type LintFinding } from '../../postmortem/lint.js';
import type { LintFlags } from './spec.js';

export function readMarkdown(ctx: Context, file: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  return readInputText(resolve(ctx.cwd, file), {
    label: file,
    what: 'postmortem',
    hint: 'pass a markdown file, e.g. ir postmortem lint postmortems/INC-12.md (or - for stdin)',
  });
}

export async function run(ctx: Context, flags: LintFlags, file: string): Promise<number> {
  const findings = lintPostmortem(readMarkdown(ctx, file));
  if (file === '-') file = '<stdin>';
  if (flags.json) {
    ctx.out.json({ file, ok: findings.length === 0, count: findings.length, findings });
  } else {
    renderFindings(ctx, file, findings);
  }
  return findings.length ? ExitCode.checkFailed : ExitCode.ok;
}

export function renderFindings(ctx: Context, file: string, findings: LintFinding[]): void {
  const c = ctx.out.color;
  for (const f of findings) {
    ctx.out.line(
      `${file}:${f.line}:${f.column}: ${c.yellow(f.rule)}: ${f.message}${f.match && f.rule !== 'placeholder' ? ` — "${f.match}"` : ''}`,
    );
    ctx.out.line(`  ${c.dim('suggestion:')} ${f.suggestion}`);
  }
  if (findings.length === 0)
    ctx.out.line(`${file}: blameless — no blame or hindsight language, every action item owned and dated`);
  else ctx.out.line(`${findings.length} problem${findings.length === 1 ? '' : 's'} in ${file}`);
}

/**
 * Findings on one line: how many of each rule, then the first few where they are
 * (`4 placeholder, 1 blame: pm.md:21:1 placeholder; pm.md:43:5 blame — "should have"; and 3 more`).
 */
export function findingsInBrief(file: string, findings: readonly LintFinding[], shown = 3): string {
  const rules = new Map<string, number>();
  for (const f of findings) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
  const counts = [...rules].map(([rule, n]) => `${n} ${rule}`).join(', ');
  const listed = findings
    .slice(0, shown)
    .map(
      (f) => `${file}:${f.line}:${f.column} ${f.rule}${f.match && f.rule !== 'placeholder' ? ` — "${f.match}"` : ''}`,
    );
  const more = findings.length - listed.length;
  return `${counts}: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
