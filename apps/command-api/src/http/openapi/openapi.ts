import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { BEARER_SCHEME } from './api-docs.decorators';
import { DOCUMENTED_SCHEMAS } from './schemas';

/** Serves the OpenAPI document at /api/docs-json and its UI at /api/docs, without auth. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('profile-groups command API')
    .setDescription(
      'Group definitions, static members, dynamic groups (rules, rule definitions, refreshes, ' +
        'snapshots, explain, preview), profile-owned favourite groups whose members follow ' +
        'connections, and profile and connection input. Writes answer with the new state and its ' +
        '`version`; `If-Match: <version>` makes a write conditional; `min_version` on a read ' +
        'waits briefly for the read model. Every error body has `message` and `code`; a 422 adds ' +
        '`errors` by JSON path and, for rule problems, `error_codes` by the same paths.',
    )
    .setVersion('3')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: DOCUMENTED_SCHEMAS,
  });
  SwaggerModule.setup('docs', app, document, {
    useGlobalPrefix: true,
    jsonDocumentUrl: 'docs-json',
  });
}
