/**
 * Batch customer creation: each entry is validated on its own, so one bad row does not sink
 * the other 499; an email already known (or repeated in the same batch) counts as existing.
 */
import { forEachConcurrently } from '../shared/concurrency';
import { DomainError } from '../shared/errors';
import { logger } from '../shared/logger';
import { checkFields, describeFieldErrors, fieldErrors } from '../shared/validation';
import { createCustomer } from '../stores/repository';
import { normalizeEmail } from '../stores/rules';
import { CustomerInput } from '../stores/schemas';

export const MAX_BATCH = 500;
/** The detail of an entry that failed for a passing reason (the table was busy, a timeout): sending it again can work. */
export const TRY_AGAIN_DETAIL = 'could not be stored this time; send this entry again';
const CONCURRENCY = 16;

export interface BatchEntryResult {
  index: number;
  status: 'created' | 'existing';
  customerId: string;
  email: string;
}

export interface BatchResult {
  created: number;
  existing: number;
  errors: Array<{ index: number; detail: string }>;
  customers: BatchEntryResult[];
}

/**
 * Steps: validate every entry; drop repeats of an email within the batch (existing); create the
 * rest with bounded concurrency; report per index, in index order.
 */
export async function createCustomers(entries: readonly unknown[], now: Date): Promise<BatchResult> {
  const errors: BatchResult['errors'] = [];
  const results: BatchEntryResult[] = [];
  const firstIndexByEmail = new Map<string, number>();
  const toCreate: Array<{ index: number; input: CustomerInput }> = [];
  const repeats: Array<{ index: number; email: string }> = [];

  for (const [index, entry] of entries.entries()) {
    const parsed = checkFields(CustomerInput, entry);
    if (!parsed.success) {
      errors.push({ index, detail: describeFieldErrors(fieldErrors('body', parsed.error, 'customer')) });
      continue;
    }
    const email = normalizeEmail(parsed.data.email);
    if (firstIndexByEmail.has(email)) {
      repeats.push({ index, email });
      continue;
    }
    firstIndexByEmail.set(email, index);
    toCreate.push({ index, input: parsed.data });
  }

  const failures: BatchResult['errors'] = [];
  await forEachConcurrently(toCreate, CONCURRENCY, async ({ index, input }) => {
    try {
      const outcome = await createCustomer(input, now);
      results.push({ index, status: outcome.status, customerId: outcome.customer.customerId, email: input.email });
    } catch (error) {
      if (!(error instanceof DomainError)) logger.error('batch entry failed', { index, error: error as Error });
      failures.push({
        index,
        detail: error instanceof DomainError ? error.message : TRY_AGAIN_DETAIL,
      });
    }
  });

  const idByEmail = new Map(results.map((r) => [r.email, r.customerId]));
  const failureOf = new Map(failures.map((f) => [f.index, f.detail]));
  for (const { index, email } of repeats) {
    const customerId = idByEmail.get(email);
    const first = firstIndexByEmail.get(email)!;
    if (customerId) results.push({ index, status: 'existing', customerId, email });
    // The first failed for a passing reason: sending both again can work, so this one says so too.
    else if (failureOf.get(first) === TRY_AGAIN_DETAIL) errors.push({ index, detail: TRY_AGAIN_DETAIL });
    else errors.push({ index, detail: `email ${email} repeats entry ${first}, which failed` });
  }

  results.sort((a, b) => a.index - b.index);
  const allErrors = [...errors, ...failures].sort((a, b) => a.index - b.index);
  return {
    created: results.filter((r) => r.status === 'created').length,
    existing: results.filter((r) => r.status === 'existing').length,
    errors: allErrors,
    customers: results,
  };
}
