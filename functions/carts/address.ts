/**
 * A delivery address as the customer's post writes it (docs/carts.md, "The cart page"): the
 * locality line is ordered by country — `Chicago, IL 60611` in the US and Canada,
 * `Sydney NSW 2000` in Australia, the postcode on its own line in the UK and Ireland, and
 * `75001 Paris` (postcode first) elsewhere. The country is named only when it is not the store's.
 * Pure: no I/O.
 */
import type { DeliveryInput } from './model';

type Structured = Exclude<DeliveryInput['address'], string>;

const join = (parts: readonly (string | undefined)[], separator = ' '): string =>
  parts.filter((part): part is string => Boolean(part)).join(separator);

/** The locality lines of one address (city, region, postcode), in the country's order. */
function localityLines(address: Structured, country: string | undefined): string[] {
  const { city, region, postalCode } = address;
  switch (country) {
    case 'US':
    case 'CA':
      return [join([join([city, region], ', '), postalCode])];
    case 'AU':
      return [join([city, region, postalCode])];
    case 'GB':
    case 'IE':
      return [city, region, postalCode].filter((line): line is string => Boolean(line));
    default:
      return [join([postalCode, city]), region].filter((line): line is string => Boolean(line));
  }
}

/** Country names for an address abroad's last line (others print their ISO code). */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  US: 'United States',
  CA: 'Canada',
  AU: 'Australia',
  GB: 'United Kingdom',
  IE: 'Ireland',
  FR: 'France',
  DE: 'Germany',
};

/**
 * The lines to print for an address: free text as its own lines (trimmed, blank lines dropped);
 * structured lines in the order of the address's country (else the store's).
 */
export function addressLines(address: DeliveryInput['address'], storeCountry: string | undefined): string[] {
  if (typeof address === 'string')
    return address
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  const country = address.country ?? storeCountry;
  const abroad = address.country && address.country !== storeCountry;
  return [
    address.line1,
    ...(address.line2 ? [address.line2] : []),
    ...localityLines(address, country),
    ...(abroad ? [COUNTRY_NAMES[address.country!] ?? address.country!] : []),
  ].filter(Boolean);
}

/** A phone number as people read it: NANP numbers as `(212) 555-0100`, others in E.164 as stored. */
export function displayPhone(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}
