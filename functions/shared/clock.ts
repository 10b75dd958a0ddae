/** "Now", in one place so tests and scheduled runs can fix it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
