/**
 * The runbook model: what a markdown runbook means once parsed. Produced by `parse.ts` (pure),
 * consumed by the planner, the runner and the renderers.
 */
import type { Matcher } from './expect.js';

export type SectionKind =
  | 'trigger'
  | 'background'
  | 'impact'
  | 'diagnosis'
  | 'mitigation'
  | 'escalation'
  | 'verification'
  | 'automation'
  | 'other';

export type StepKind = 'diagnosis' | 'mitigation';

/** The language a step runs in: a shell, or SQL through psql. */
export type StepLang = 'shell' | 'sql' | 'promql';

export interface Expectation {
  /** Where it came from: a `# Expected:` comment, prose after the block, a fence attribute, an output block. */
  source: 'comment' | 'prose' | 'attribute' | 'block';
  /** The text as written. */
  text: string;
  matcher: Matcher;
  line: number;
}

export interface Step {
  /** Stable id for `--step`: the `{id=…}` attribute, else a slug of its title. */
  id: string;
  /** 1-based position among all steps. */
  index: number;
  title: string;
  /** Heading path, e.g. "Initial Diagnosis › Step 2: Check dependencies". */
  heading: string;
  kind: StepKind;
  /** Who gave the step its kind: the author (`{kind=…}`, `{mitigation=true}`) or the heading it sits under. */
  kindSource?: 'author' | 'heading';
  section: SectionKind;
  lang: StepLang;
  /** The code to run (prompts stripped, comments kept out). Empty for a manual-only step. */
  command: string;
  /** Placeholders the author left (`<POD_NAME>`): turned into variables where that is sure (see placeholders.ts). */
  placeholders?: { written: string; name: string; filled: boolean }[];
  /** Comment lines that are advice, not expectations ("If CPU > 80%: likely need to scale"). */
  notes: string[];
  /** Example output shown in the runbook (console-style blocks); never checked. */
  sample?: string;
  expectations: Expectation[];
  /**
   * `{until=3m every=5s}`: run the check again every `everyMs` until its expectations hold, for at
   * most `untilMs` (a step that reads only; one that may change something runs once).
   */
  poll?: { untilMs: number; everyMs: number };
  /** `{capture=POD}`: the step's output (trimmed), once it passes, is the variable POD for later steps. */
  capture?: string;
  /** Per-step timeout from `{timeout=…}`, in ms. */
  timeoutMs?: number;
  /** Mitigation option this step belongs to (mitigations only). */
  option?: string;
  /** Options named by `{on-fail=…}` or a `# On failure:` comment. */
  onFail: string[];
  /** The same references with the line each is written on (the fence's for `{on-fail=…}`), for lint. */
  onFailAt?: { ref: string; line: number }[];
  /** Line (1-based) of the fence in the file. */
  line: number;
  /** Runme's excludeFromRunAll: runs only when picked (--step, the menu), never in a whole run. */
  excludeFromRunAll?: boolean;
  /** Runme's cwd: the directory to run in, relative to the runbook's (the runner's default is the runbook's directory). */
  cwd?: string;
  /** What the step does to the systems it touches (set by `classifyRunbook` in classify.ts before a run, show or lint). */
  safety?: StepEffect;
  /** Read from a code block without a language: never run unattended, offered on a terminal when it parses as shell. */
  unlabelled?: boolean;
}

/** Whether a step only reads, may change something, or ir cannot tell. */
export type Effect = 'reads' | 'changes' | 'unknown';

export interface StepEffect {
  effect: Effect;
  /** Why, in words: "kubectl delete changes the cluster". */
  reason: string;
  /** The command (as written) that decided it, when one did. */
  command?: string;
  /** Where the verdict came from: the commands themselves, the team's read-only list, or the heading. */
  by: 'command' | 'config' | 'heading';
  /** A command that never ends by itself (`tail -f`, `kubectl get -w`). */
  endless?: string;
  /** The longest time limit the commands set themselves, in ms. */
  ownTimeoutMs?: number;
  /** Lines meant to be typed inside a session an earlier line opens (`oc debug node/x`, `ssh host`). */
  inside?: { opener: string; command: string };
  /** Why what the step prints is secret (`kubectl get secret x -o yaml` prints a Secret's values): hidden whole. */
  printsSecrets?: string;
  /** The step is one command that prints a table under a header line (`kubectl get pods`), in words. */
  printsTable?: string;
  /** Where the shell block fails to parse. */
  syntaxError?: string;
  /** It parses as shell and every command in it is one ir knows (a block without a language that holds commands, not output). */
  shellLike?: boolean;
}

export interface MitigationOption {
  id: string;
  /** "A" for "Option A: …", else undefined. */
  letter?: string;
  title: string;
  description: string[];
  successCriteria: string[];
  /** Step ids, in order. */
  steps: string[];
  line: number;
}

export interface Section {
  kind: SectionKind;
  title: string;
  level: number;
  line: number;
  /** Paragraphs and list items as plain text, in order. */
  text: string[];
  /** List items only (for checklists and escalation contacts). */
  items: string[];
  /** Everything in document order, for rendering: prose, steps (by id), option headings (by id). */
  body: ({ type: 'text'; text: string } | { type: 'step'; id: string } | { type: 'option'; id: string })[];
}

export interface VariableSpec {
  name: string;
  default?: string;
  description?: string;
  /** Don't print the value (passwords, tokens). */
  secret: boolean;
  /** `from_label:` the alert label whose value this variable takes under `--from-alert`. */
  fromLabel?: string;
}

export interface Problem {
  line: number;
  message: string;
  /** The lint rule it is reported under; without one, `syntax` for a problem and `unclosed-fence` for a warning. */
  rule?: string;
}

export interface Runbook {
  /** File stem: `high-api-latency`. */
  name: string;
  path: string;
  title: string;
  alerts: string[];
  service?: string;
  owner?: string;
  /** `last_reviewed` as written (YYYY-MM-DD). */
  lastReviewed?: string;
  /** From front matter `escalate_after`, else "after N minutes" in the escalation section. */
  escalateAfterMs?: number;
  variables: VariableSpec[];
  sections: Section[];
  steps: Step[];
  options: MitigationOption[];
  /** Non-fatal problems found while parsing (bad attributes, invalid regexes, bad front matter). */
  problems: Problem[];
  /** Things that do not stop a run but likely are mistakes (an unclosed code fence). */
  warnings?: Problem[];
  /** Front matter keys ir does not know (kept for show). */
  extra: Record<string, unknown>;
  /** Code blocks ir shows but never runs (`python`, `yaml`, no language), by language and line. */
  shownBlocks: { lang: string; line: number }[];
  /**
   * Code blocks without a language, read as shell steps in case they are (kept apart from `steps`:
   * they never run unattended). Classification tells which parse as shell (`safety.shellLike`).
   */
  unlabelled?: Step[];
}
