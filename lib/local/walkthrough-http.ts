/**
 * The walkthrough's HTTP side (./walkthrough.ts): one caller of the local stack per token, JSON in
 * and out, an answer other than the expected one a `StepFailed` that names what came back, and a
 * poll for what the stack does in the background.
 */

/** A step that did not answer as documented. */
export class StepFailed extends Error {}

interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/** The local stack over HTTP, as one caller: JSON in and out, a failed expectation a StepFailed. */
export class Caller {
  constructor(
    private readonly base: string,
    private readonly token?: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    expect: readonly number[],
    body?: unknown,
    form?: URLSearchParams,
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: form ? form.toString() : body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: Error) => {
      throw new StepFailed(`no local stack answers at ${this.base} (is \`npm start\` running?): ${error.message}`);
    });
    const text = await response.text();
    if (!expect.includes(response.status))
      throw new StepFailed(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    const json = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined;
    return { status: response.status, body: json as T, text };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` answers something, or fails the step after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new StepFailed(`${what}: nothing after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(250);
  }
}
