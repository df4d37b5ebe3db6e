/**
 * Regenerates docs/error-codes.md from the error catalog.
 * `npm test` runs a test that fails when the committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { errorCodesDoc } from '../src/error-codes-doc.ts';

const { file, text } = errorCodesDoc();
writeFileSync(file, text);
console.log(`wrote ${file}`);
