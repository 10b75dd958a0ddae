/**
 * Money is kept in integer minor units with its ISO 4217 currency (docs/rules.md, "Carts"); these
 * turn it into what people and spreadsheets read. Pure: no I/O.
 */

/** Digits after the decimal point for a currency: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in major units as a plain decimal, no symbol or grouping: 12900 USD → `129.00`, 500 JPY → `500`. */
export function majorUnits(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const magnitude = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${magnitude}` : `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
}
