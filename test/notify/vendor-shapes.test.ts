/** The vendor shape checks the channel tests run on every body find what is wrong (they are not vacuous). */
import { describe, expect, it } from 'vitest';
import { bodyFor, type Message } from '../../src/notify/payloads.js';
import { vendorProblems } from '../helpers/vendor-shapes.js';

const KEY = 'k'.repeat(32);
const check = (path: string, body: Record<string, unknown>) => vendorProblems(path, body, JSON.stringify(body));

describe('vendor shapes', () => {
  it('Slack: a header over 150 characters, mrkdwn in a header, too many fields, an unknown block', () => {
    expect(
      check('/slack', {
        text: 'x',
        blocks: [
          { type: 'header', text: { type: 'mrkdwn', text: 'h'.repeat(151) } },
          { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
          { type: 'table' },
        ],
      }),
    ).toEqual([
      'blocks[0].text.type: mrkdwn (expected plain_text)',
      'blocks[0].text.text: 151 characters, over 150',
      'blocks[1].fields: 1 to 10 text objects',
      'blocks[2].type: table',
    ]);
    expect(check('/slack', { blocks: [] })).toEqual(['text: the fallback is required']);
  });

  it('Teams: a connector card, a card version Teams does not render, a TextBlock without text', () => {
    expect(check('/teams', { '@type': 'MessageCard', text: 'x' })).toEqual([
      'type: undefined (expected message)',
      'attachments: required',
    ]);
    const card = (version: string, body: unknown[]) => ({
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version, body } },
      ],
    });
    expect(check('/teams', card('2.0', [{ type: 'TextBlock', weight: 'Heavy' }]))).toEqual([
      'attachments[0].content.version: 2.0 (Teams renders 1.0 to 1.5)',
      'attachments[0].content.body[0].text: required',
      'attachments[0].content.body[0].weight',
    ]);
  });

  it('PagerDuty: a trigger without severity, a summary over 1024, a resolve without dedup_key, fields of another API', () => {
    expect(
      check('/pd/v2/enqueue', {
        routing_key: KEY,
        event_action: 'trigger',
        payload: { summary: 's'.repeat(1025), source: 'api' },
      }),
    ).toEqual(['payload.summary: 1025 characters, over 1024', 'payload.severity: undefined']);
    expect(check('/pd/v2/enqueue', { routing_key: KEY, event_action: 'resolve' })).toEqual([
      'dedup_key: required to resolve',
    ]);
    expect(check('/pd/v2/enqueue', { service_key: KEY, event_type: 'trigger', description: 'v1' })).toEqual([
      'routing_key: the 32-character integration key is required',
      'body.service_key: not a documented field',
      'body.event_type: not a documented field',
      'body.description: not a documented field',
      'event_action: undefined',
    ]);
    expect(check('/pd/v2/change/enqueue', { routing_key: KEY, event_action: 'trigger', payload: {} })).toEqual([
      'body.event_action: not a documented field',
      'payload.summary: required',
    ]);
  });

  it('what ir posts for a change, a handoff and a test message passes', () => {
    const base: Message = {
      event: 'test',
      text: 'hello\nworld',
      at: '2026-01-05T09:00:00.000Z',
      incident: null,
      entry: null,
    };
    const withKey = (s: string) => ({ routing_key: KEY, ...(JSON.parse(s) as object) });
    expect(check('/slack', JSON.parse(bodyFor('slack', { ...base, event: 'handoff' })))).toEqual([]);
    expect(check('/teams', JSON.parse(bodyFor('teams', { ...base, event: 'handoff' })))).toEqual([]);
    expect(check('/pd/v2/change/enqueue', withKey(bodyFor('pagerduty', base)))).toEqual([]);
  });
});
