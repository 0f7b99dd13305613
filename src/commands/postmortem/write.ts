/** `ir postmortem <incident-id> [--out file.md] [--json]`: the blameless postmortem template, filled from the record. */
import { existsSync, statSync } from 'node:fs';
import { directoryProblem, writePrivateFile } from '../../files.js';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { FlagError, UsageError } from '../../errors.js';
import { loadPostmortem } from '../../postmortem/service.js';
import { renderPostmortem, summarize, type PostmortemNarrative } from '../../postmortem/template.js';
import type { WriteFlags } from './spec.js';

/** On a terminal, ask for the narrative sections; elsewhere they stay marked placeholders. */
async function askNarrative(ctx: Context): Promise<PostmortemNarrative | undefined> {
  if (!ctx.interactive) return undefined;
  const { askText } = await import('../../ui/prompt.js');
  const ask = (message: string) =>
    askText(ctx, { flag: '--out', message, example: '--out postmortem.md', optional: true });
  ctx.out.info(
    'Answer in a sentence or two (Enter leaves a placeholder to fill in later). Describe systems, not people.',
  );
  return {
    whatHappened: await ask('What happened (systems focus)?'),
    contributingFactors: await ask('Contributing factors (conditions that let it happen)?'),
    whatWentWell: await ask('What went well?'),
  };
}

export async function run(ctx: Context, flags: WriteFlags, id?: string): Promise<number> {
  if (id === undefined) {
    throw new UsageError(
      'ir postmortem: name the incident, e.g. ir postmortem INC-12 --out INC-12.md',
      'or a subcommand: lint <file>, done <id>, pending, near-miss <id> (ir postmortem --help)',
    );
  }
  const now = ctx.now();
  if (flags.out?.trim() === '')
    throw new FlagError('--out', 'empty; expected the path of a file to write (or - for standard output)');
  // `-` is standard output, as `ir postmortem lint -` reads standard input: never a file named "-".
  const out = flags.out === undefined || flags.out === '-' ? undefined : resolve(ctx.cwd, flags.out);
  // Check the id before asking anything.
  const checked = await loadPostmortem(ctx, id, now);
  // Where it would go must be a directory, before anything is asked.
  const notDir = out && directoryProblem(dirname(out));
  if (notDir)
    throw new UsageError(`--out: cannot write ${flags.out}: ${notDir}`, 'pass a file in an existing directory');
  // A directory is no file to write, with --force or without (--force replaces only a file).
  if (out && statSync(out, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(
      `--out: ${flags.out} is a directory; expected the path of a file to write`,
      `e.g. --out ${join(flags.out!, `${checked.record.id}.md`)}`,
    );
  }
  if (out && existsSync(out) && !flags.force) {
    throw new UsageError(
      `--out: ${flags.out} already exists; ir does not overwrite a postmortem someone may have edited`,
      'pass --force to replace it, or another file name',
    );
  }
  const narrative = flags.json ? undefined : await askNarrative(ctx);
  const pm = await loadPostmortem(ctx, id, now, narrative);
  const markdown = renderPostmortem(pm.record, now);
  if (out) {
    try {
      writePrivateFile(out, markdown, { replace: flags.force });
    } catch (e) {
      throw new UsageError(`--out: cannot write ${flags.out}: ${(e as Error).message}`);
    }
  }
  if (flags.json) {
    ctx.out.json({
      ...summarize(pm.record, now),
      postmortemRequired: pm.requirement.required,
      requiredBecause: pm.requirement.reasons,
      nearMiss: pm.state.nearMiss,
      postmortemDone: pm.state.doneAt !== null,
      doneAt: pm.state.doneAt,
      actionItems: pm.record.actionItems,
      file: out ?? null,
      markdown,
    });
  } else if (out) {
    ctx.out.line(
      `wrote ${flags.out} (${pm.record.id}, ${pm.requirement.required ? `postmortem required: ${pm.requirement.reasons.join('; ')}` : 'postmortem optional'})`,
    );
    ctx.out.info(
      `next: fill in the placeholders, then: ir postmortem lint ${flags.out} && ir postmortem done ${pm.record.id} --file ${flags.out}`,
    );
  } else {
    ctx.out.write(markdown);
  }
  return 0;
}
