/** Not built yet: fails loudly rather than pretending to work. */
export const handler = async (): Promise<never> => {
  throw new Error('functions/campaigns/dead-letters.handler.ts is not built yet');
};
