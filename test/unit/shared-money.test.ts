import { describe, expect, it } from 'vitest';
import { majorUnits, minorUnitDigits } from '../../functions/shared/money';
import { exportRevenue } from '../../functions/reports/rules';

describe('money in major units', () => {
  it.each([
    ['USD', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %d minor digits', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each([
    [12_900, 'USD', '129.00'],
    [5, 'EUR', '0.05'],
    [0, 'USD', '0.00'],
    [500, 'JPY', '500'],
    [1_234, 'KWD', '1.234'],
    [-1_999, 'USD', '-19.99'],
  ])('%d %s is %s', (minor, currency, shown) => {
    expect(majorUnits(minor, currency)).toBe(shown);
  });

  it('writes an export row’s revenue in its currency’s major units, and 0 before any order', () => {
    expect(exportRevenue(12_900, 'USD')).toBe('129.00');
    expect(exportRevenue(0, undefined)).toBe('0');
  });
});
