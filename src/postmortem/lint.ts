/**
 * `ir postmortem lint`: finds blame and hindsight language, action items without an owner or a
 * date, a timeline written backwards and unfilled placeholders, each with its line, column and a
 * suggested direction for rewording (blameless practice: focus on system gaps, not individual mistakes;
 * build the timeline forward, from what was known at the time, not backward from the cause). Pure: text in, findings out.
 *
 * Words are matched as patterns, so this is a reviewer's aid rather than a judge: it errs towards
 * flagging, and lines that quote a question as *not* to be asked (`❌ NOT asked: …`) are skipped.
 */
import { PLACEHOLDER_MARK } from './template.js';

export type LintRule =
  | 'hindsight'
  | 'blame'
  | 'human-error'
  | 'person-as-cause'
  | 'action-owner'
  | 'action-date'
  | 'timeline-order'
  | 'placeholder'
  | 'empty';

export interface LintFinding {
  line: number;
  column: number;
  rule: LintRule;
  /** The words that triggered it. */
  match: string;
  message: string;
  suggestion: string;
}

interface PhraseRule {
  rule: LintRule;
  pattern: RegExp;
  message: string;
  suggestion: string;
}

const ASK_INSTEAD_DECISION =
  'ask what the responder knew at decision time: "What information did the responder have at decision time?"';
const ASK_INSTEAD_SYSTEM =
  'ask "What systemic factors allowed this to reach production?" and describe the gap in the process';

/** People named as in incident docs: `@alice`, `Engineer X`, `the intern`, `developer Bob`. */
const PERSON = String.raw`(?:@[\w.-]+|(?:[Ee]ngineer|[Dd]eveloper|[Dd]ev|[Oo]perator|[Aa]dmin|[Aa]dministrator|SRE|DBA|[Ii]ntern|[Cc]ontractor)\s+[A-Z][\w-]*\b|(?:[Tt]he|[Aa]n?|[Oo]ur)\s+(?:on-?call(?:\s+engineer)?|engineer|developer|operator|admin|intern|contractor|responder|SRE|DBA)\b)`;
/** A bare capitalised name ("Bob"), not a pronoun or a word that starts a sentence ("This made an error"). */
const NAME = String.raw`(?!(?:This|That|It|Which|What|There|Nobody|Everyone|Someone|Anyone|We|They|He|She|You|I)\b)[A-Z][a-z]+\b`;
/** Case-insensitive lead-in words around a case-sensitive PERSON (JavaScript has no inline (?i)). */
const ci = (words: string) => words.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);

const PHRASES: PhraseRule[] = [
  {
    rule: 'hindsight',
    pattern:
      /\bwhy (?:didn[’']?t|did not|wasn[’']?t|weren[’']?t|hadn[’']?t|had not|couldn[’']?t) (?:you|he|she|they|we|[A-Z]\w*)\b/gi,
    message: '"why didn\'t …" judges a decision with knowledge the responder did not have (hindsight bias)',
    suggestion: ASK_INSTEAD_DECISION,
  },
  {
    rule: 'hindsight',
    pattern:
      /\b(?:(?:should(?:n[’']?t)?|ought to|could|would) have|(?:should(?:n[’']?t)?|could|would)[’']ve) (?:been |)(?:known|caught|noticed|checked|seen|tested|prevented|realized|realised|verified|asked|waited|reviewed|spotted|done|rolled back|escalated)\b/gi,
    message: '"should have …" is hindsight: it is clear only after the outcome is known',
    suggestion:
      'describe what was known at the time and what made the other path hard to see; turn it into a detection or process action item',
  },
  {
    rule: 'hindsight',
    // "should've" is written without a space: `should 've` never occurs.
    pattern: /\bshould(?:n[’']?t)?(?: have|[’']ve)\b/gi,
    message: '"should have" is hindsight: it is clear only after the outcome is known',
    suggestion: 'describe what was known at the time and what made the other path hard to see',
  },
  {
    rule: 'hindsight',
    pattern: /\b(?:obviously|clearly should|it was obvious|in hindsight,? (?:he|she|they|you|[A-Z]\w*))\b/gi,
    message: 'calling something obvious is hindsight: it was not obvious to the people in the incident',
    suggestion: ASK_INSTEAD_DECISION,
  },
  {
    rule: 'blame',
    pattern:
      /\b(?:careless(?:ness|ly)?|negligen(?:t|ce)|sloppy|incompeten(?:t|ce)|lazy|reckless(?:ly)?|irresponsibl[ey]|screwed up|messed up|dropped the ball)\b/gi,
    message: 'judges a person rather than describing the system',
    suggestion:
      'describe the condition that made the mistake easy to make (missing check, unclear runbook, no staging parity)',
  },
  {
    rule: 'blame',
    pattern: /\b(?:needs? to|must|has to|have to|should) be more (?:careful|diligent|thorough|attentive)\b/gi,
    message: '"be more careful" is not an action item: it asks a person to stop being human',
    suggestion: 'write an action item that changes the system: a guard rail, a check in CI, an alert, a runbook step',
  },
  {
    rule: 'blame',
    pattern: /\bwho (?:approved|authori[sz]ed|signed off|allowed|let|pushed|deployed|merged|broke|caused|made)\b/gi,
    message: '"who approved …" looks for someone to blame',
    suggestion: ASK_INSTEAD_SYSTEM,
  },
  {
    rule: 'blame',
    pattern: /\b(?:(?:his|her|their|your) (?:fault|mistake|error|negligence)|(?:fault|mistake) of)\b/gi,
    message: 'assigns fault to a person',
    suggestion: 'name the system gap instead; people make mistakes when systems make mistakes easy',
  },
  {
    rule: 'human-error',
    pattern:
      /\b(?:root cause|caused by|cause (?:was|is)|due to|because of|result of|attributed to)\b[^.]{0,40}\b(?:human|operator|user|pilot|engineer)[- ]error\b/gi,
    message: '"human error" given as a cause ends the inquiry where it should start',
    suggestion: 'treat the error as a symptom: ask what in the tooling, process or context made it likely',
  },
  {
    // "Human error." / "It was human error." / "- Operator error": the error as the whole answer.
    rule: 'human-error',
    pattern:
      /(?:^|(?<=[.!?:;]\s+)|(?<=^\s*(?:[-*+]|\d+[.)])\s+))(?:(?:it|this|that|the cause|the issue|the problem)\s+(?:was|is|were)\s+(?:(?:just|simply|purely|plainly|clearly|basically|ultimately|a|an|an?\s+simple)\s+)*)?(?:human|operator|user|pilot|engineer|developer|staff)[- ]errors?\s*(?:[.!]|$)/gim,
    message: '"human error" given as a cause ends the inquiry where it should start',
    suggestion: 'treat the error as a symptom: ask what in the tooling, process or context made it likely',
  },
  {
    rule: 'human-error',
    pattern:
      /\b(?:human|operator|pilot|engineer)[- ]error\b[^.]{0,40}\b(?:caused|was the (?:root )?cause|led to|resulted in|root cause)\b/gi,
    message: '"human error" given as a cause ends the inquiry where it should start',
    suggestion: 'treat the error as a symptom: ask what in the tooling, process or context made it likely',
  },
  {
    rule: 'person-as-cause',
    pattern: new RegExp(
      String.raw`\b(?:${ci('caused by|fault of|blame on|blame goes to|because of|due to|triggered by')})\s+(?:${ci('the')}\s+)?${PERSON}`,
      'g',
    ),
    message: 'names a person as the cause',
    suggestion:
      'name the systemic condition instead (e.g. "staging does not match production"); any engineer could have hit it',
  },
  {
    rule: 'person-as-cause',
    pattern: new RegExp(
      String.raw`${PERSON}\s+(?:caused|broke|forgot|failed to|neglected|(?:didn[’']?t|did not)(?!\s+(?:have|know|get|receive|see)\b)|ignored|missed|screwed|messed|deployed without|pushed without|skipped)\b`,
      'g',
    ),
    message: 'names a person as the cause',
    suggestion: 'describe what the system allowed, not what a person failed to do; any engineer could have hit it',
  },
  {
    // "Bob made a mistake", "Dana's fault", "a mistake by @bob": a person's mistake given as what
    // happened. "We made a mistake" owns it as a team and passes.
    rule: 'person-as-cause',
    pattern: new RegExp(
      [
        // "Bob made a mistake", "the on-call engineer made an error"
        String.raw`(?:${PERSON}|\b${NAME})\s+(?:made|makes|had made)\s+(?:a|an|the|one|another|this|that)\s+(?:(?:big|bad|simple|small|costly|careless|human|silly|critical)\s+)?(?:mistake|error|blunder|slip|oversight|bad call|wrong call)s?\b`,
        // "Bob's mistake", "@alice's fault" (not "error": "Postgres's error log" is a thing)
        String.raw`(?:${PERSON}|\b${NAME})[’']s\s+(?:(?:big|bad|simple|careless)\s+)?(?:mistake|blunder|slip|oversight|fault|carelessness)s?\b`,
        // "a mistake by @bob"
        String.raw`\b(?:mistake|blunder|slip|oversight)s?\s+(?:by|of)\s+(?:${PERSON}|${NAME})`,
      ].join('|'),
      'g',
    ),
    message: "names a person's mistake as the cause",
    suggestion:
      'describe what made the mistake easy to make and hard to catch (a missing check, a confusing tool); any engineer could have made it',
  },
  {
    // A bare name ("Sarah forgot …") with a verb only people do: systems fail, people "forget".
    rule: 'person-as-cause',
    pattern: /\b[A-Z][a-z]+\s+(?:forgot|neglected|screwed up|messed up|didn[’']?t bother|did not bother)\b/g,
    message: 'names a person as the cause',
    suggestion:
      'describe what the system allowed, not what a person failed to do (what would have reminded anyone?); any engineer could have hit it',
  },
];

/** A line that quotes a question as an example of what not to ask. */
const NOT_ASKED_LINE = /(?:❌|\bNOT asked\b|\bdon[’']?t ask\b|\bavoid(?:ed)? asking\b)/i;

function phraseFindings(text: string, lineNo: number): LintFinding[] {
  if (NOT_ASKED_LINE.test(text)) return [];
  const found: LintFinding[] = [];
  const taken: [number, number][] = [];
  for (const p of PHRASES) {
    p.pattern.lastIndex = 0;
    for (let m = p.pattern.exec(text); m; m = p.pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      // One finding per stretch of text: the more specific rule (listed first) wins.
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({
        line: lineNo,
        column: start + 1,
        rule: p.rule,
        match: m[0],
        message: p.message,
        suggestion: p.suggestion,
      });
    }
  }
  return found.sort((a, b) => a.column - b.column);
}

// ---------------------------------------------------------------------------------------------
// Action items

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = new RegExp(
  String.raw`\b(?:\d{4}-\d{2}-\d{2}|(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+(?:${MONTHS})(?:\s+\d{4})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?|Q[1-4](?:\s+\d{4})?|(?:end of |by )?(?:this|next) (?:week|sprint|month|quarter)|today|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b`,
  'i',
);

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;

export interface ActionItemParts {
  text: string;
  owner: string | null;
  due: string | null;
}

/**
 * Finds the owner and date in an action item line: `Do X (Engineer B, Nov 18)`, `Do X — @bob, due
 * 2026-12-01`, `Do X (owner: bob, due: Dec 1)`.
 */
export function actionItemParts(item: string): ActionItemParts {
  const body = item.replace(/["”]\s*$/, '').trim();
  const paren = /\(([^()]*)\)(?!.*\([^()]*\))/.exec(body);
  const candidates: string[] = [];
  if (paren) candidates.push(...paren[1]!.split(/[,;]/));
  const tail = /\s[—–-]{1,2}\s(.+)$/.exec(body);
  if (tail) candidates.push(...tail[1]!.split(/[,;]/));
  const keyed = [...body.matchAll(/\b(owner|due|by|assignee|date)\s*[:=]\s*([^,;()]+)/gi)];
  let owner: string | null = null;
  let due: string | null = null;
  for (const [, key, value] of keyed) {
    const v = value!.trim();
    if (/owner|assignee/i.test(key!)) owner ??= v;
    else if (DATE.test(v)) due ??= v;
  }
  for (const raw of candidates) {
    const part = raw
      .trim()
      .replace(/^(?:owner|assignee)\s*[:=]\s*/i, '')
      .replace(/^(?:due|by)\s*[:=]?\s*/i, '');
    if (!part) continue;
    if (
      /^ACT-\d+$/i.test(part) ||
      /^(?:high|medium|low|p[0-4])(?: priority)?$/i.test(part) ||
      /^(?:detective|preventive|preventative|corrective)$/i.test(part)
    )
      continue;
    if (DATE.test(part)) {
      due ??= part;
      continue;
    }
    if (/^(?:ongoing|tbd|tba|asap|soon|later|n\/a|none|unknown|\?+)$/i.test(part)) continue;
    if (part.split(/\s+/).length <= 4) owner ??= part;
  }
  const mention = /(?:^|\s)(@[\w.-]+)/.exec(body);
  if (!owner && mention) owner = mention[1]!;
  return { text: body, owner, due };
}

/** The cells of a markdown table row (`| a | b |`), or undefined for any other line. */
function tableCells(line: string): string[] | undefined {
  const t = line.trim();
  if (!t.startsWith('|')) return undefined;
  return t
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

const TABLE_RULE = /^:?-{3,}:?$/;
const NOT_A_VALUE = /^(?:ongoing|tbd|tba|asap|soon|later|n\/a|none|unknown|-+|\?+)?$/i;

/** Column positions of an action-item table, from its header row. */
interface ActionTable {
  owner: number;
  due: number;
}

function actionTableHeader(cells: string[]): ActionTable {
  return {
    owner: cells.findIndex((c) => /^(?:owner|owners|assignee|who|responsible)$/i.test(c.replace(/[*_]/g, ''))),
    due: cells.findIndex((c) => /^(?:due|due date|date|deadline|by|when|target date)$/i.test(c.replace(/[*_]/g, ''))),
  };
}

/** Owner and date of one table row: from the Owner/Due columns, else as a list item would be read. */
function actionTableRow(cells: string[], table: ActionTable): ActionItemParts {
  const text = cells.filter(Boolean).join(' | ');
  const fallback = actionItemParts(`${cells[0] ?? ''} (${cells.slice(1).filter(Boolean).join(', ')})`);
  const cell = (i: number) => (i >= 0 ? (cells[i] ?? '') : undefined);
  const owner = cell(table.owner);
  const due = cell(table.due);
  return {
    text,
    owner: owner === undefined ? fallback.owner : NOT_A_VALUE.test(owner) ? null : owner,
    due: due === undefined ? fallback.due : DATE.test(due) ? due : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Timeline order

const TIMELINE_TIME =
  /^\s*(?:[-*+]|\d+[.)])?\s*(?:\*\*)?(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*(?:UTC|Z))?(?:\*\*)?\s*(?:[-–—:|]|\s)/;

function timelineMinute(text: string, lastDate: string | null): { minutes: number; date: string | null } | undefined {
  const m = TIMELINE_TIME.exec(text);
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = Number(m[3]);
  if (h > 23 || mi > 59) return undefined;
  const date = m[1] ?? lastDate;
  const dayMinutes = date ? Date.parse(`${date}T00:00:00Z`) / 60_000 : 0;
  return { minutes: dayMinutes + h * 60 + mi, date: m[1] ?? null };
}

// ---------------------------------------------------------------------------------------------

type Section = 'none' | 'timeline' | 'actions';

function headingSection(text: string): Section | undefined {
  const h = /^\s{0,3}#{1,6}\s+(.*)$/.exec(text);
  if (!h) return undefined;
  if (/\baction items?\b|\bfollow[- ]ups?\b/i.test(h[1]!)) return 'actions';
  if (/\btimeline\b/i.test(h[1]!)) return 'timeline';
  return 'none';
}

/** A non-heading line that opens a list: `Action items:` or `**Timeline:**`. */
function labelSection(text: string): Section | undefined {
  const l = /^\s*["“]?\s*(?:\*\*|__)?([A-Za-z -]+?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*$/.exec(text);
  if (!l) return undefined;
  if (/^(?:action items?|follow[- ]ups?)$/i.test(l[1]!.trim())) return 'actions';
  if (/^timeline$/i.test(l[1]!.trim())) return 'timeline';
  return undefined;
}

export function lintPostmortem(markdown: string): LintFinding[] {
  const lines = markdown.split(/\r?\n/);
  // Nothing but headings, rules and blank lines is not a postmortem (`postmortem done --file` would
  // otherwise record an empty file as the review).
  if (!lines.some((l) => /\p{L}|\p{N}/u.test(l) && !/^\s{0,3}(#{1,6}\s|[-*_]{3,}\s*$)/.test(l))) {
    return [
      {
        line: 1,
        column: 1,
        rule: 'empty',
        match: '',
        message: 'the postmortem has no content',
        suggestion: 'write it from the record: ir postmortem INC-7 --out INC-7.md, then fill in what happened and why',
      },
    ];
  }
  const findings: LintFinding[] = [];
  let section: Section = 'none';
  let labelled = false;
  let inFence = false;
  let lastTime: { minutes: number; line: number; text: string } | undefined;
  let lastDate: string | null = null;
  let table: ActionTable | undefined;

  const actionFindings = (lineNo: number, column: number, parts: ActionItemParts) => {
    if (!parts.owner) {
      findings.push({
        line: lineNo,
        column,
        rule: 'action-owner',
        match: parts.text,
        message: 'action item has no owner',
        suggestion: 'name one owner, e.g. "Add connection pool metrics (Engineer B, Nov 18)"',
      });
    }
    if (!parts.due) {
      findings.push({
        line: lineNo,
        column,
        rule: 'action-date',
        match: parts.text,
        message: 'action item has no due date',
        suggestion:
          'give it a date ("Nov 18" or 2026-11-18); "ongoing" is not a date — split it into a dated first step',
      });
    }
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;

    if (raw.includes(PLACEHOLDER_MARK)) {
      findings.push({
        line: lineNo,
        column: 1,
        rule: 'placeholder',
        match: raw.trim(),
        message: 'this section is still a placeholder',
        suggestion: 'write it (systems focus), or delete the line if it does not apply',
      });
      return;
    }

    const heading = headingSection(raw);
    const label = heading === undefined ? labelSection(raw) : undefined;
    if (heading !== undefined || label !== undefined) {
      section = heading ?? label!;
      labelled = heading === undefined;
      table = undefined;
      lastTime = undefined;
      lastDate = null;
      return;
    }
    // A label's section ends at the first line that is neither blank nor a list item.
    if (labelled && raw.trim() !== '' && !LIST_ITEM.test(raw) && !TIMELINE_TIME.test(raw)) {
      section = 'none';
      labelled = false;
    }

    findings.push(...phraseFindings(raw, lineNo));

    if (section === 'actions') {
      // A markdown table: the first row is the header (Owner / Due columns), then a rule row.
      const cells = tableCells(raw);
      if (!cells) table = undefined;
      if (cells && !table) {
        table = actionTableHeader(cells);
      } else if (cells && table && !cells.every((c) => TABLE_RULE.test(c))) {
        if (cells.some(Boolean)) actionFindings(lineNo, raw.indexOf('|') + 1, actionTableRow(cells, table));
      }
      const item = cells ? null : LIST_ITEM.exec(raw);
      if (item && item[1]!.trim() && !NOT_ASKED_LINE.test(raw)) {
        const parts = actionItemParts(item[1]!);
        actionFindings(lineNo, raw.indexOf(item[1]!) + 1, { ...parts, text: item[1]!.trim() });
      }
    }

    if (section === 'timeline') {
      const t = timelineMinute(raw, lastDate);
      if (t) {
        if (t.date) lastDate = t.date;
        let minutes = t.minutes;
        // Times without dates that drop by more than 12 hours crossed midnight.
        if (lastTime && !t.date && lastTime.minutes - minutes > 12 * 60) minutes += 24 * 60;
        if (lastTime && minutes < lastTime.minutes) {
          findings.push({
            line: lineNo,
            column: 1,
            rule: 'timeline-order',
            match: raw.trim(),
            message: `timeline goes backwards: this entry is earlier than line ${lastTime.line} (${lastTime.text})`,
            suggestion:
              'write the timeline forward, in the order things happened and were known, not backward from the cause',
          });
        }
        lastTime = { minutes, line: lineNo, text: raw.trim().replace(/^[-*+]\s*/, '') };
      }
    }
  });
  return findings;
}
