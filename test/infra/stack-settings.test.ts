/** The CDK context bin/app.ts accepts: what is required, what is coerced, what is refused. */
import { describe, expect, it } from 'vitest';
import { StackSettings } from '../../lib/clienteling-stack';

describe('StackSettings', () => {
  it('needs nothing: the stage defaults to dev (never production), and data is kept', () => {
    expect(StackSettings.parse({})).toEqual({ stage: 'dev', throwaway: false });
    expect(StackSettings.parse({ stage: 'prod' })).toEqual({ stage: 'prod', throwaway: false });
  });

  it.each([
    ['true', true],
    ['false', false],
    [true, true],
  ])('reads throwaway=%s from the command line or cdk.json as %s', (value, expected) => {
    expect(StackSettings.parse({ stage: 'pr-1', throwaway: value }).throwaway).toBe(expected);
  });

  it.each([['Prod'], ['1st'], ['has space'], ['']])('refuses the stage %s', (stage) => {
    expect(StackSettings.safeParse({ stage }).success).toBe(false);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test's name shows the template the links are built with
  it('drops the trailing slash of publicBaseUrl, so links join as `${base}/c/${token}`', () => {
    expect(StackSettings.parse({ stage: 'prod', publicBaseUrl: 'https://shop.example.com/' }).publicBaseUrl).toBe(
      'https://shop.example.com',
    );
  });

  it('refuses a publicBaseUrl that is not https', () => {
    expect(StackSettings.safeParse({ stage: 'prod', publicBaseUrl: 'http://shop.example.com' }).success).toBe(false);
  });

  it('refuses an alarm or SES address that is not an email', () => {
    expect(StackSettings.safeParse({ alarmEmail: 'ops' }).success).toBe(false);
    expect(StackSettings.safeParse({ sesFromEmail: 'no-reply@' }).success).toBe(false);
  });

  it('splits comma-separated CORS origins', () => {
    expect(
      StackSettings.parse({ stage: 'prod', corsOrigins: 'https://a.example, https://b.example' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
