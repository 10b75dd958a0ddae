/** WhatsApp template rules (docs/rules.md, "WhatsApp templates"): Twilio's approval statuses, sendability, placeholders, marketing to US numbers. */
import { describe, expect, it } from 'vitest';
import {
  fillContentVariables,
  isUsRecipient,
  MARKETING_UNDELIVERABLE_ERROR_CODE,
  marketingRefusal,
  templateRefusal,
  templateStatusOf,
  variableMismatch,
  type TemplateCategory,
  type TemplateStatus,
} from '../../functions/conversations/whatsapp-rules';

describe('templateStatusOf', () => {
  it.each<[string | undefined, TemplateStatus]>([
    ['approved', 'APPROVED'],
    ['APPROVED', 'APPROVED'],
    [' approved ', 'APPROVED'],
    ['unsubmitted', 'PENDING'],
    ['received', 'PENDING'],
    ['pending', 'PENDING'],
    ['rejected', 'REJECTED'],
    ['disabled', 'REJECTED'],
    ['paused', 'PAUSED'],
    ['in_appeal', 'PENDING'],
    ['', 'PENDING'],
    [undefined, 'PENDING'],
  ])("reads Twilio's %j as %s", (twilio, ours) => {
    expect(templateStatusOf(twilio)).toBe(ours);
  });
});

describe('templateRefusal', () => {
  it('lets an APPROVED template go', () => {
    expect(templateRefusal({ templateId: 'opt-in', status: 'APPROVED' })).toBeUndefined();
  });

  it.each<TemplateStatus>(['PENDING', 'REJECTED', 'PAUSED'])(
    'refuses a %s template, naming it and its status',
    (status) => {
      expect(templateRefusal({ templateId: 'opt-in', status })).toEqual({
        rule: 'template-not-approved',
        detail: expect.stringContaining(`opt-in is ${status}`),
      });
    },
  );
});

describe('variableMismatch', () => {
  it.each<[string, string[], { missing: string[]; unused: string[] }]>([
    ['Hi {{1}}, your order {{2}} is ready', ['1', '2'], { missing: [], unused: [] }],
    ['Hi {{ firstName }}, see you at {{store}}', ['store', 'firstName'], { missing: [], unused: [] }],
    ['Hi {{1}}, {{1}} again', ['1'], { missing: [], unused: [] }],
    ['Hi {{1}}, your order {{2}} is ready', ['1'], { missing: ['2'], unused: [] }],
    ['Hi there', ['1'], { missing: [], unused: ['1'] }],
    ['Hi {{name}}', ['1'], { missing: ['name'], unused: ['1'] }],
    ['No placeholders', [], { missing: [], unused: [] }],
  ])('%j with %j', (text, variables, expected) => {
    expect(variableMismatch(text, variables)).toEqual(expected);
  });
});

describe('isUsRecipient', () => {
  it.each<[string, boolean]>([
    ['US', true],
    ['us', true],
    ['CA', false],
    ['GB', false],
    ['+12125550100', true], // New York
    ['whatsapp:+12125550100', true],
    ['+17875550100', true], // Puerto Rico: a US area code
    ['+14165550100', false], // Toronto
    ['+16045550100', false], // Vancouver
    ['whatsapp:+15145550100', false], // Montréal
    ['+18765550100', false], // Jamaica
    ['+12425550100', false], // the Bahamas
    ['+447700900123', false],
    ['+61412345678', false],
    ['+1212555010', false], // too short to be a NANP number
    ['', false],
  ])('%j → %s', (recipient, us) => {
    expect(isUsRecipient(recipient)).toBe(us);
  });
});

describe('marketingRefusal', () => {
  it.each<[TemplateCategory, string, boolean]>([
    ['MARKETING', 'US', true],
    ['MARKETING', '+13105550100', true],
    ['MARKETING', 'whatsapp:+13105550100', true],
    ['MARKETING', 'CA', false],
    ['MARKETING', '+14165550100', false],
    ['MARKETING', '+447700900123', false],
    ['UTILITY', 'US', false],
    ['UTILITY', '+13105550100', false],
    ['UTILITY', '+447700900123', false],
  ])('%s to %j refused: %s', (category, recipient, refused) => {
    const refusal = marketingRefusal(category, recipient);
    if (!refused) expect(refusal).toBeUndefined();
    else
      expect(refusal).toEqual({
        rule: 'marketing-to-us',
        twilioCode: MARKETING_UNDELIVERABLE_ERROR_CODE,
        detail: expect.stringContaining('63049'),
      });
  });
});

describe('fillContentVariables', () => {
  const template = { text: 'Hi {{firstName}}, your {{item}} is ready.', variables: ['firstName', 'item'] };

  it('fills the given variables, and firstName/lastName from the customer when not given', () => {
    expect(fillContentVariables(template, { item: 'boots' }, { firstName: 'Ada' })).toEqual({
      variables: { firstName: 'Ada', item: 'boots' },
      text: 'Hi Ada, your boots is ready.',
      missing: [],
      unknown: [],
    });
    expect(fillContentVariables(template, { item: 'boots', firstName: 'Dear' }, { firstName: 'Ada' }).text).toBe(
      'Hi Dear, your boots is ready.',
    );
  });

  it('names the variables still missing and the ones the template does not declare', () => {
    expect(fillContentVariables(template, { colour: 'red' }, {})).toMatchObject({
      missing: ['firstName', 'item'],
      unknown: ['colour'],
      text: 'Hi {{firstName}}, your {{item}} is ready.',
    });
  });
});
