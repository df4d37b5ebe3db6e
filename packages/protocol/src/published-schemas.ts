/**
 * @module published-schemas
 * The JSON Schema documents the project publishes, rendered from TypeBox.
 */
import { fileURLToPath } from 'node:url';
import { ProbeReport } from './probe-report.ts';
import { ServiceProfile } from './service-profile.ts';

export function publishedSchemas(): { file: string; schema: string }[] {
  const render = (schema: object) =>
    `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }, null, 2)}\n`;
  return [
    {
      file: fileURLToPath(new URL('../schema/probe-report.v1.schema.json', import.meta.url)),
      schema: render(ProbeReport),
    },
    {
      file: fileURLToPath(new URL('../schema/service-profile.schema.json', import.meta.url)),
      schema: render(ServiceProfile),
    },
  ];
}
