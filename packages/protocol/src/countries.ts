/**
 * @module countries
 * ISO 3166-1 alpha-2 country codes, the form an office's `country` takes
 * (the geo database, the map and peer comparison by city all key on it).
 * The 249 officially assigned codes (ISO 3166-1, as published by the ISO
 * 3166 Maintenance Agency); exceptionally reserved codes (UK, EU…) and
 * user-assigned ones (XK…) are not countries here. No imports: the
 * dashboard bundles this file.
 */

// biome-ignore format: the codes read best as a block, 20 to a line.
const CODES = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD', 'BE',
  'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD',
  'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM',
  'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF',
  'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR', 'HT', 'HU',
  'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN',
  'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME',
  'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA',
  'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM',
  'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI',
  'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK',
  'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI',
  'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW',
] as const;

export type CountryCode = (typeof CODES)[number];

export const COUNTRY_CODES: ReadonlySet<string> = new Set(CODES);

/** The code in its canonical form ("de" → "DE"), or undefined when it is not an assigned ISO 3166-1 alpha-2 code. */
export function countryCode(text: string): CountryCode | undefined {
  const code = text.trim().toUpperCase();
  return COUNTRY_CODES.has(code) ? (code as CountryCode) : undefined;
}

/** Names people type for a country, mapped to its code (English names via Intl, plus common short forms). */
const ALIASES: Record<string, CountryCode> = {
  UK: 'GB',
  'GREAT BRITAIN': 'GB',
  ENGLAND: 'GB',
  USA: 'US',
  UAE: 'AE',
};

/**
 * The code a country name stands for ("Germany" → "DE", "UK" → "GB"), for
 * "did you mean" in errors; undefined when nothing matches.
 */
export function suggestCountryCode(text: string): CountryCode | undefined {
  const wanted = text.trim().toUpperCase();
  if (ALIASES[wanted]) return ALIASES[wanted];
  const names =
    typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  if (!names) return undefined;
  return CODES.find((c) => names.of(c)?.toUpperCase() === wanted);
}
