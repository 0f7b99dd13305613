import { describe, expect, it } from 'vitest';
import { webhookPayload } from '../../src/incident/notify.js';
import {
  chatText,
  slackBody,
  teamsBody,
  templatedBody,
  type IncidentFacts,
  type Message,
} from '../../src/notify/payloads.js';

const incident: IncidentFacts = {
  id: 'INC-1',
  title: 'Checkout <!channel>',
  severity: 'SEV-2',
  severityLevel: 2,
  status: 'investigating',
  statusLabel: 'Investigating',
  service: 'api',
  impact: null,
  commander: '@alice',
  nextUpdate: '10:30 UTC',
  link: 'https://status.example.com/INC-1',
  startedAt: '2026-01-05T10:00:00.000Z',
  detectedAt: '2026-01-05T10:00:00.000Z',
  declaredAt: '2026-01-05T10:00:00.000Z',
  resolvedAt: null,
};

function message(text: string, facts: IncidentFacts | null = incident): Message {
  return { event: 'declared', text, at: '2026-01-05T10:00:00.000Z', incident: facts, entry: null };
}

interface SlackBody {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[] }[];
}

describe('Slack-compatible text', () => {
  it('escapes &, < and > so a title cannot notify the channel or make a link', () => {
    expect(chatText('<!channel> <!here> <https://evil.example|click> A & B')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;https://evil.example|click&gt; A &amp; B',
    );
  });

  it('breaks the channel-wide mentions of Mattermost and Rocket.Chat, not a person’s', () => {
    expect(chatText('@channel @HERE @all @everyone @alice @alliance')).toBe(
      '@\u200Bchannel @\u200BHERE @\u200Ball @\u200Beveryone @alice @alliance',
    );
  });

  it('the Slack body escapes the fallback text and every mrkdwn block; the plain_text header stays as written', () => {
    const text =
      '🚨 SEV-2 INCIDENT: Checkout <!channel>\nImpact: <https://evil.example|click here> & more\nIncident: INC-1 https://status.example.com/INC-1';
    const body = slackBody(message(text, { ...incident, commander: '<!here>' })) as SlackBody;
    expect(body.text).toBe(
      '🚨 SEV-2 INCIDENT: Checkout &lt;!channel&gt;\nImpact: &lt;https://evil.example|click here&gt; &amp; more\nIncident: INC-1 https://status.example.com/INC-1',
    );
    expect(body.blocks[0]!.text).toEqual({
      type: 'plain_text',
      text: '🚨 SEV-2 INCIDENT: Checkout <!channel>',
      emoji: true,
    });
    expect(body.blocks[1]!.fields![2]!.text).toBe('*Commander*\n&lt;!here&gt;');
    expect(body.blocks[2]!.text!.text).toBe(
      'Impact: &lt;https://evil.example|click here&gt; &amp; more\nIncident: INC-1 https://status.example.com/INC-1',
    );
    expect(JSON.stringify(body.blocks.slice(1))).not.toMatch(/<!|<https/);
  });

  it('a long mrkdwn section is cut within Slack’s 3000 characters without cutting an entity in two', () => {
    const body = slackBody(message(`head\n${'<'.repeat(2000)}`, null)) as SlackBody;
    const section = body.blocks[1]!.text!.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/^(&lt;)+…$/);
  });

  it('the plain incidents.webhooks body is escaped the same way', () => {
    expect(JSON.parse(webhookPayload('Checkout <!channel> @here'))).toEqual({
      text: 'Checkout &lt;!channel&gt; @\u200Bhere',
    });
  });
});

describe('Teams card text', () => {
  it('a markdown link in a title or update stays text, not a link', () => {
    const text = 'SEV-2 INCIDENT: [Re-authenticate](https://evil.example)\nUpdate: see [docs] (https://evil.example/x)';
    const body = teamsBody(message(text, { ...incident, commander: '[bob](https://evil.example)' }));
    const json = JSON.stringify(body);
    expect(json).not.toMatch(/\]\s*\(/);
    expect(json).toContain('[Re-authenticate]\u200B(https://evil.example)');
    expect(json).toContain('[docs]\u200B (https://evil.example/x)');
    expect(json).toContain('[bob]\u200B(https://evil.example)');
  });
});

describe('templatedBody', () => {
  it('a placeholder naming a property every object has (handoff.constructor) is empty, not a function', () => {
    const body = { handoff: { person: 'ann' } };
    expect(
      templatedBody(
        { whole: '{{ handoff.constructor }}', inside: 'x {{ handoff.toString }} y', ok: '{{handoff.person}}' },
        body,
      ),
    ).toEqual({ whole: null, inside: 'x  y', ok: 'ann' });
  });
});
