/** The CDK context bin/app.ts accepts: what is required, what is coerced, what is refused. */
import { describe, expect, it } from 'vitest';
import { StackSettings, publicBaseUrlOf } from '../../lib/clienteling-stack';

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

  describe('custom domain', () => {
    const domain = {
      domainName: 'api.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-def012345678',
    };

    it('takes domainName with certificateArn, and an optional basePath of one segment (slashes around it dropped)', () => {
      expect(StackSettings.parse({ ...domain })).toMatchObject(domain);
      expect(StackSettings.parse({ ...domain, basePath: '/v1/' }).basePath).toBe('v1');
    });

    it.each([
      [{ domainName: 'api.example.com' }, 'certificateArn'],
      [{ certificateArn: domain.certificateArn }, 'domainName'],
      [{ basePath: 'v1' }, 'basePath'],
    ])('refuses half a custom domain: %o (%s)', (settings, field) => {
      const parsed = StackSettings.safeParse(settings);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path[0])).toContain(field);
    });

    it.each([['v1/admin'], ['has space'], [''], ['a?b']])('refuses the basePath %j', (basePath) => {
      expect(StackSettings.safeParse({ ...domain, basePath }).success).toBe(false);
    });

    it.each([['API.example.com'], ['https://api.example.com'], ['localhost']])(
      'refuses the domainName %s',
      (domainName) => {
        expect(StackSettings.safeParse({ ...domain, domainName }).success).toBe(false);
      },
    );

    it('refuses a certificate that is not an ACM certificate ARN', () => {
      expect(
        StackSettings.safeParse({ ...domain, certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' })
          .success,
      ).toBe(false);
    });

    it('refuses publicBaseUrl beside a custom domain: the domain is the public URL', () => {
      expect(StackSettings.safeParse({ ...domain, publicBaseUrl: 'https://other.example.com' }).success).toBe(false);
    });

    it('makes https://<domainName>/<basePath> the public base URL, else publicBaseUrl, else the API URL', () => {
      const apiUrl = 'https://abc.execute-api.us-east-1.amazonaws.com';
      expect(publicBaseUrlOf(StackSettings.parse({ ...domain, basePath: 'v1' }), apiUrl)).toBe(
        'https://api.example.com/v1',
      );
      expect(publicBaseUrlOf(StackSettings.parse({ ...domain }), apiUrl)).toBe('https://api.example.com');
      expect(publicBaseUrlOf(StackSettings.parse({ publicBaseUrl: 'https://shop.example.com' }), apiUrl)).toBe(
        'https://shop.example.com',
      );
      expect(publicBaseUrlOf(StackSettings.parse({}), apiUrl)).toBe(apiUrl);
    });
  });
});
