/**
 * Regenerates the committed JSON Schema files from the TypeBox definitions.
 * `npm test` runs a test that fails when the committed files differ.
 */
import { writeFileSync } from 'node:fs';
import { publishedSchemas } from '../src/published-schemas.ts';

for (const { file, schema } of publishedSchemas()) {
  writeFileSync(file, schema);
  console.log(`wrote ${file}`);
}
