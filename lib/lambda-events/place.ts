/** The account and region an event claims to come from (lib/lambda-events.ts builds every event). */
export interface AwsPlace {
  readonly region: string;
  readonly accountId: string;
}

/** Where local and test events come from: no real account, the region local clients use. */
export const LOCAL_PLACE: AwsPlace = { region: 'us-east-1', accountId: '000000000000' };
